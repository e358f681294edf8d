-- Renames a column in one step: the build running now still writes csc_check.
ALTER TABLE fraud_check RENAME COLUMN csc_check TO security_code_check;
