-- The statements payments's code ran in the acceptance run (harness contracts record), one a line.
DELETE FROM idempotent_request WHERE tenant_id = ? AND key = ? AND holder = ? AND status IS NULL
INSERT INTO "api_key" ("id", "meta", "tenant_id", "secret_hash", "created_at") VALUES (?,?,?,?,?)
INSERT INTO "card" ("id", "name", "brand", "fingerprint", "address", "meta", "tenant_id", "customer_id", "last_four", "cvv_match", "avs_street_match", "avs_postal_match", "bank_name", "expiration_month", "expiration_year", "deleted_at", "created_at", "updated_at") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
INSERT INTO "card_hold" ("id", "amount", "currency", "description", "status", "meta", "tenant_id", "card_id", "failure_reason_code", "failure_reason", "transaction_number", "debit_id", "fraud_check_id", "expires_at", "voided_at", "created_at", "updated_at", "processor_reference") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
INSERT INTO "customer" ("id", "name", "email", "phone", "ein", "address", "meta", "tenant_id", "business_name", "ssn_last4", "source_id", "dob_month", "dob_year", "merchant_status", "deleted_at", "created_at", "updated_at") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
INSERT INTO "debit" ("id", "amount", "currency", "description", "status", "meta", "tenant_id", "card_id", "customer_id", "card_hold_id", "appears_on_statement_as", "failure_reason_code", "failure_reason", "transaction_number", "fraud_check_id", "created_at", "updated_at", "processor_reference") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
INSERT INTO "idempotent_request" ("key", "route", "fields", "holder", "status", "response", "tenant_id", "created_at", "request") VALUES (?,?,?,?,?,?,?,?,?)
INSERT INTO "ledger_entry" ("id", "account", "amount", "tenant_id", "transaction_id", "created_at") VALUES (?,?,?,?,?,?)
INSERT INTO "marketplace" ("id", "name", "owner_customer_id", "created_at", "updated_at") VALUES (?,?,?,?,?)
INSERT INTO "refund" ("id", "amount", "currency", "description", "status", "meta", "tenant_id", "debit_id", "transaction_number", "created_at", "updated_at") VALUES (?,?,?,?,?,?,?,?,?,?,?)
INSERT INTO account_balance (tenant_id, account, balance) VALUES (?, ?, ?) ON CONFLICT(tenant_id, account) DO UPDATE SET balance = balance + excluded.balance
INSERT INTO collection_total (name, total) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET total = total + 1
INSERT OR IGNORE INTO "card" ("id", "name", "brand", "fingerprint", "address", "meta", "tenant_id", "customer_id", "last_four", "cvv_match", "avs_street_match", "avs_postal_match", "bank_name", "expiration_month", "expiration_year", "deleted_at", "created_at", "updated_at") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
SELECT * FROM "card" WHERE "id" = ?
SELECT * FROM "card" WHERE ("id" = ?) AND (("tenant_id" = ?) OR ("tenant_id" IS NULL))
SELECT * FROM "card" WHERE (("tenant_id" = ?) OR ("tenant_id" IS NULL)) AND ("tenant_id" = ?) AND ("deleted_at" IS NULL) AND ("customer_id" = ?) AND ? ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "card" WHERE (("tenant_id" = ?) OR ("tenant_id" IS NULL)) AND ("tenant_id" = ?) AND ("deleted_at" IS NULL) AND ? ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "card" WHERE (("tenant_id" = ?) OR ("tenant_id" IS NULL)) AND ("tenant_id" = ?) AND ("deleted_at" IS NULL) AND ? ORDER BY "created_at" DESC, "rowid" DESC LIMIT 100 OFFSET 0
SELECT * FROM "card_hold" WHERE ("id" = ?) AND ("tenant_id" = ?)
SELECT * FROM "card_hold" WHERE ("tenant_id" = ?) AND ("voided_at" IS NULL) AND ? ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "customer" WHERE ("id" = ?) AND ("tenant_id" = ?) AND ("deleted_at" IS NULL)
SELECT * FROM "debit" WHERE ("id" = ?) AND ("tenant_id" = ?)
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ("card_hold_id" = ?) AND ? ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ("card_id" = ?) AND ? ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ("customer_id" = ?) AND ? ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" <= ?) ORDER BY "amount" ASC, "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" = ?) ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" > ?) ORDER BY "amount" ASC, "created_at" DESC, "rowid" DESC LIMIT 2 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" > ?) ORDER BY "amount" ASC, "created_at" DESC, "rowid" DESC LIMIT 2 OFFSET 2
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" > ?) ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" IN (?, ?)) ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("description" LIKE ? ESCAPE '\') ORDER BY "amount" DESC, "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("status" = ?) AND ("amount" <> ?) ORDER BY "amount" ASC, "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "debit" WHERE ("tenant_id" = ?) AND ? AND (NOT ("description" LIKE ? ESCAPE '\')) ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM "idempotent_request" WHERE ("tenant_id" = ?) AND ("key" = ?)
SELECT * FROM "marketplace" WHERE "id" = ?
SELECT * FROM "refund" WHERE ("tenant_id" = ?) AND ("debit_id" = ?) AND ? ORDER BY "created_at" DESC, "rowid" DESC LIMIT 10 OFFSET 0
SELECT * FROM api_key WHERE secret_hash = ?
SELECT * FROM debit WHERE tenant_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?
SELECT * FROM marketplace WHERE id = ?
SELECT 1
SELECT COALESCE(SUM(amount), 0) FROM refund WHERE debit_id = ?
SELECT COUNT(*) FROM "card" WHERE ("id" = ?) AND (("tenant_id" = ?) OR ("tenant_id" IS NULL))
SELECT COUNT(*) FROM "card" WHERE (("tenant_id" = ?) OR ("tenant_id" IS NULL)) AND ("tenant_id" = ?) AND ("deleted_at" IS NULL) AND ("customer_id" = ?) AND ?
SELECT COUNT(*) FROM "card" WHERE (("tenant_id" = ?) OR ("tenant_id" IS NULL)) AND ("tenant_id" = ?) AND ("deleted_at" IS NULL) AND ?
SELECT COUNT(*) FROM "card_hold" WHERE ("tenant_id" = ?) AND ("voided_at" IS NULL) AND ?
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ("card_hold_id" = ?) AND ?
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ("card_id" = ?) AND ?
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ("customer_id" = ?) AND ?
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" <= ?)
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" = ?)
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" > ?)
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("amount" IN (?, ?))
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("description" LIKE ? ESCAPE '\')
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ? AND ("status" = ?) AND ("amount" <> ?)
SELECT COUNT(*) FROM "debit" WHERE ("tenant_id" = ?) AND ? AND (NOT ("description" LIKE ? ESCAPE '\'))
SELECT COUNT(*) FROM "refund" WHERE ("tenant_id" = ?) AND ("debit_id" = ?) AND ?
SELECT balance FROM account_balance WHERE tenant_id = ? AND account = ?
SELECT total FROM collection_total WHERE name = ?
UPDATE "card" SET "tenant_id" = ? WHERE ("id" = ?) AND ("tenant_id" IS NULL)
UPDATE "card" SET "tenant_id"=?, "customer_id"=?, "name"=?, "last_four"=?, "brand"=?, "fingerprint"=?, "cvv_match"=?, "avs_street_match"=?, "avs_postal_match"=?, "bank_name"=?, "expiration_month"=?, "expiration_year"=?, "address"=?, "meta"=?, "deleted_at"=?, "created_at"=?, "updated_at"=? WHERE "id"=?
UPDATE "card_hold" SET "tenant_id"=?, "card_id"=?, "amount"=?, "currency"=?, "description"=?, "status"=?, "failure_reason_code"=?, "failure_reason"=?, "transaction_number"=?, "meta"=?, "debit_id"=?, "fraud_check_id"=?, "expires_at"=?, "voided_at"=?, "created_at"=?, "updated_at"=?, "processor_reference"=? WHERE "id"=?
UPDATE "customer" SET "tenant_id"=?, "name"=?, "business_name"=?, "email"=?, "phone"=?, "ssn_last4"=?, "ein"=?, "source_id"=?, "dob_month"=?, "dob_year"=?, "merchant_status"=?, "address"=?, "meta"=?, "deleted_at"=?, "created_at"=?, "updated_at"=? WHERE "id"=?
UPDATE "marketplace" SET "name"=?, "owner_customer_id"=?, "created_at"=?, "updated_at"=? WHERE "id"=?
UPDATE card SET customer_id = ?, tenant_id = ? WHERE id = ? AND customer_id IS NULL
UPDATE idempotent_request SET status = ?, response = ? WHERE tenant_id = ? AND key = ? AND holder = ? AND status IS NULL
