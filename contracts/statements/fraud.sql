-- The statements fraud's code ran in the acceptance run (harness contracts record), one a line.
INSERT INTO "fraud_check" ("id", "tenant", "amount", "currency", "brand", "score", "decision", "reasons", "card_id", "cvv_match", "csc_check", "created_at") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
INSERT INTO check_minute (tenant, minute, decision, csc_check, checks, score_total) VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT(tenant, minute, decision, csc_check) DO UPDATE SET checks = checks + 1, score_total = score_total + excluded.score_total
SELECT 1
SELECT COUNT(*) FROM fraud_check WHERE tenant = ? AND card_id = ? AND created_at >= ?
SELECT decision, csc_check, SUM(checks) AS n, SUM(score_total) AS total FROM check_minute WHERE tenant = ? AND minute >= ? GROUP BY decision, csc_check
