-- The expand step: the new column beside the old, which the build running now goes on writing.
ALTER TABLE fraud_check ADD COLUMN security_code_check TEXT;
