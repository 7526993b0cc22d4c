-- A key may expire: the keys the server's own tools hold for a run (an import) are
-- issued for an hour and extended while the run lasts, so that a run killed before it
-- could revoke its key leaves none usable for long. An expired key is refused as a
-- revoked one.
ALTER TABLE api_key ADD COLUMN expires_at timestamptz;
