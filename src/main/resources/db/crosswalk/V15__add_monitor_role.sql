-- Monitoring systems scrape /actuator/prometheus with a key of their own, which reaches
-- nothing else.
ALTER TABLE api_key DROP CONSTRAINT api_key_role_check;
ALTER TABLE api_key ADD CONSTRAINT api_key_role_check
    CHECK (role IN ('hospital-system', 'clinician', 'auditor', 'admin', 'steward', 'monitor'));
