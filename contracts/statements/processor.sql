-- The statements processor's code ran in the acceptance run (harness contracts record), one a line.
INSERT INTO "txn" ("ref", "amount", "captured", "refunded", "voided", "merchant_id", "order_id", "message_type") VALUES (?,?,?,?,?,?,?,?)
INSERT INTO journal (received_at, message, order_id, trace_number, replayed, http_status, request, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
INSERT INTO trace (merchant_id, number, request, answer) VALUES (?, ?, ?, ?)
SELECT * FROM "txn" WHERE "ref" = ?
SELECT * FROM journal WHERE (? IS NULL OR order_id = ?) ORDER BY id
SELECT 1
SELECT request, answer FROM trace WHERE merchant_id = ? AND number = ?
UPDATE "txn" SET "merchant_id"=?, "order_id"=?, "message_type"=?, "amount"=?, "captured"=?, "refunded"=?, "voided"=? WHERE "ref"=?
