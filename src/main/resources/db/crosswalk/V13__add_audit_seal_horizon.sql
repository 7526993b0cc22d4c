-- The sealer no longer waits for the oldest open transaction. Each pass seals every
-- committed record it can see that is not sealed yet, in (txid, seq) order, so a record
-- of a long transaction is sealed when that transaction commits, after records that
-- committed before it. horizon is the transaction id below which every record was sealed
-- when the row was written; the next pass looks only at records at or above it. Rows
-- sealed before this migration have none: for them every record below event_txid was.
ALTER TABLE audit_seal ADD COLUMN horizon xid8;
-- Every new row has one: a sealer of an earlier version, still running during a rolling
-- upgrade, cannot append a row that would vouch for records it skipped.
ALTER TABLE audit_seal ADD CONSTRAINT audit_seal_horizon_present CHECK (horizon IS NOT NULL) NOT VALID;
