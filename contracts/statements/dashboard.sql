-- The statements dashboard's code ran in the acceptance run (harness contracts record), one a line.
INSERT INTO summary_snapshot (tenant, generated_at, debits, succeeded_volume, checks, average_score) VALUES (?, ?, ?, ?, ?, ?)
SELECT * FROM summary_snapshot WHERE tenant = ? ORDER BY id DESC LIMIT ?
SELECT 1
