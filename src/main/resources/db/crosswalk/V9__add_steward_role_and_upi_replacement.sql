-- Data stewards decide patient links; a UPI merged into another records which.
ALTER TABLE api_key DROP CONSTRAINT api_key_role_check;
ALTER TABLE api_key ADD CONSTRAINT api_key_role_check
    CHECK (role IN ('hospital-system', 'clinician', 'auditor', 'admin', 'steward'));

ALTER TABLE upi ADD COLUMN replaced_by uuid REFERENCES upi (upi);
