-- The statements vault's code ran in the acceptance run (harness contracts record), one a line.
INSERT INTO "card" ("id", "ciphertext", "fingerprint", "bin", "brand", "name", "address", "tenant", "last_four", "expiration_month", "expiration_year", "cvv_match", "avs_street_match", "avs_postal_match", "created_at", "deleted_at") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
INSERT OR IGNORE INTO "authorization" ("id", "amount", "tenant", "card_id", "order_id", "created_at") VALUES (?,?,?,?,?,?)
SELECT * FROM "authorization" WHERE "id" = ?
SELECT * FROM "card" WHERE "id" = ?
SELECT 1
UPDATE "card" SET "ciphertext"=?, "fingerprint"=?, "bin"=?, "last_four"=?, "brand"=?, "expiration_month"=?, "expiration_year"=?, "cvv_match"=?, "name"=?, "address"=?, "avs_street_match"=?, "avs_postal_match"=?, "tenant"=?, "created_at"=?, "deleted_at"=? WHERE "id"=?
