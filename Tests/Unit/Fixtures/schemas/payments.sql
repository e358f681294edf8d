-- v1
index api_key_on_tenant_id: CREATE INDEX "api_key_on_tenant_id" ON "api_key"("tenant_id")
index card_by_tenant: CREATE INDEX "card_by_tenant" ON "card"("tenant_id", "created_at")
index card_hold_by_tenant: CREATE INDEX "card_hold_by_tenant" ON "card_hold"("tenant_id", "created_at")
index card_hold_on_card_id: CREATE INDEX "card_hold_on_card_id" ON "card_hold"("card_id")
index card_on_customer_id: CREATE INDEX "card_on_customer_id" ON "card"("customer_id")
index customer_by_tenant: CREATE INDEX "customer_by_tenant" ON "customer"("tenant_id", "created_at")
index debit_by_tenant: CREATE INDEX "debit_by_tenant" ON "debit"("tenant_id", "created_at")
index debit_on_card_id: CREATE INDEX "debit_on_card_id" ON "debit"("card_id")
index debit_on_customer_id: CREATE INDEX "debit_on_customer_id" ON "debit"("customer_id")
index ledger_entry_on_transaction_id: CREATE INDEX "ledger_entry_on_transaction_id" ON "ledger_entry"("transaction_id")
index refund_by_tenant: CREATE INDEX "refund_by_tenant" ON "refund"("tenant_id", "created_at")
index refund_on_debit_id: CREATE INDEX "refund_on_debit_id" ON "refund"("debit_id")
table account_balance: CREATE TABLE "account_balance" ("tenant_id" TEXT NOT NULL, "account" TEXT NOT NULL, "balance" INTEGER NOT NULL, PRIMARY KEY ("tenant_id", "account"))
table api_key: CREATE TABLE "api_key" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT NOT NULL REFERENCES "marketplace"("id"), "secret_hash" TEXT NOT NULL UNIQUE, "meta" TEXT NOT NULL, "created_at" INTEGER NOT NULL)
table card: CREATE TABLE "card" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT, "customer_id" TEXT, "name" TEXT, "last_four" TEXT, "brand" TEXT, "fingerprint" TEXT, "cvv_match" TEXT, "avs_street_match" TEXT, "avs_postal_match" TEXT, "bank_name" TEXT, "expiration_month" INTEGER NOT NULL, "expiration_year" INTEGER NOT NULL, "address" TEXT NOT NULL, "meta" TEXT NOT NULL, "deleted_at" INTEGER, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL)
table card_hold: CREATE TABLE "card_hold" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT NOT NULL, "card_id" TEXT NOT NULL, "amount" INTEGER NOT NULL, "currency" TEXT NOT NULL, "description" TEXT, "status" TEXT NOT NULL, "failure_reason_code" TEXT, "failure_reason" TEXT, "transaction_number" TEXT NOT NULL, "meta" TEXT NOT NULL, "debit_id" TEXT, "fraud_check_id" TEXT, "expires_at" INTEGER NOT NULL, "voided_at" INTEGER, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL)
table collection_total: CREATE TABLE "collection_total" ("name" TEXT PRIMARY KEY NOT NULL, "total" INTEGER NOT NULL)
table customer: CREATE TABLE "customer" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT NOT NULL, "name" TEXT, "business_name" TEXT, "email" TEXT, "phone" TEXT, "ssn_last4" TEXT, "ein" TEXT, "source_id" TEXT, "dob_month" INTEGER, "dob_year" INTEGER, "merchant_status" TEXT NOT NULL, "address" TEXT NOT NULL, "meta" TEXT NOT NULL, "deleted_at" INTEGER, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL)
table debit: CREATE TABLE "debit" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT NOT NULL, "card_id" TEXT NOT NULL, "customer_id" TEXT, "card_hold_id" TEXT, "amount" INTEGER NOT NULL, "currency" TEXT NOT NULL, "description" TEXT, "appears_on_statement_as" TEXT NOT NULL, "status" TEXT NOT NULL, "failure_reason_code" TEXT, "failure_reason" TEXT, "transaction_number" TEXT NOT NULL, "meta" TEXT NOT NULL, "fraud_check_id" TEXT, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL)
table idempotent_request: CREATE TABLE "idempotent_request" ("tenant_id" TEXT NOT NULL, "key" TEXT NOT NULL, "request" TEXT NOT NULL, "status" INTEGER, "response" TEXT, "created_at" INTEGER NOT NULL, PRIMARY KEY ("tenant_id", "key"))
table ledger_entry: CREATE TABLE "ledger_entry" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "tenant_id" TEXT NOT NULL, "transaction_id" TEXT NOT NULL, "account" TEXT NOT NULL, "amount" INTEGER NOT NULL, "created_at" INTEGER NOT NULL)
table marketplace: CREATE TABLE "marketplace" ("id" TEXT PRIMARY KEY NOT NULL, "name" TEXT, "owner_customer_id" TEXT, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL)
table refund: CREATE TABLE "refund" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT NOT NULL, "debit_id" TEXT NOT NULL REFERENCES "debit"("id"), "amount" INTEGER NOT NULL, "currency" TEXT NOT NULL, "description" TEXT, "status" TEXT NOT NULL, "transaction_number" TEXT NOT NULL, "meta" TEXT NOT NULL, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL)

-- v2
index debit_by_card_hold: CREATE INDEX "debit_by_card_hold" ON "debit"("card_hold_id")

-- v3-processor-reference
table card_hold: CREATE TABLE "card_hold" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT NOT NULL, "card_id" TEXT NOT NULL, "amount" INTEGER NOT NULL, "currency" TEXT NOT NULL, "description" TEXT, "status" TEXT NOT NULL, "failure_reason_code" TEXT, "failure_reason" TEXT, "transaction_number" TEXT NOT NULL, "meta" TEXT NOT NULL, "debit_id" TEXT, "fraud_check_id" TEXT, "expires_at" INTEGER NOT NULL, "voided_at" INTEGER, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL, "processor_reference" TEXT)
table debit: CREATE TABLE "debit" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT NOT NULL, "card_id" TEXT NOT NULL, "customer_id" TEXT, "card_hold_id" TEXT, "amount" INTEGER NOT NULL, "currency" TEXT NOT NULL, "description" TEXT, "appears_on_statement_as" TEXT NOT NULL, "status" TEXT NOT NULL, "failure_reason_code" TEXT, "failure_reason" TEXT, "transaction_number" TEXT NOT NULL, "meta" TEXT NOT NULL, "fraud_check_id" TEXT, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL, "processor_reference" TEXT)

-- v4-idempotency-without-card-data
table idempotent_request: CREATE TABLE "idempotent_request" ("tenant_id" TEXT NOT NULL, "key" TEXT NOT NULL, "request" TEXT NOT NULL, "status" INTEGER, "response" TEXT, "created_at" INTEGER NOT NULL, "route" TEXT NOT NULL DEFAULT '', "fields" TEXT, "holder" TEXT NOT NULL DEFAULT '', PRIMARY KEY ("tenant_id", "key"))
