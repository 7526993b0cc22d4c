-- A network exporter exports every hospital's data with Bulk Data $export at the
-- server's base, and reads nothing else but the files of its exports.
ALTER TABLE api_key DROP CONSTRAINT api_key_role_check;
ALTER TABLE api_key ADD CONSTRAINT api_key_role_check
    CHECK (role IN ('hospital-system', 'clinician', 'auditor', 'admin', 'steward', 'monitor', 'network-exporter'));
