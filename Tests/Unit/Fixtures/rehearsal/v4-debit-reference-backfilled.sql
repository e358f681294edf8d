-- The same change, with the backfill first: debits from before v3-processor-reference settled
-- locally, and say so in their reference.
UPDATE "debit" SET "processor_reference" = 'local:' || "id" WHERE "processor_reference" IS NULL;
CREATE TABLE "debit_new" ("id" TEXT PRIMARY KEY NOT NULL, "tenant_id" TEXT NOT NULL, "card_id" TEXT NOT NULL, "customer_id" TEXT, "card_hold_id" TEXT, "amount" INTEGER NOT NULL, "currency" TEXT NOT NULL, "description" TEXT, "appears_on_statement_as" TEXT NOT NULL, "status" TEXT NOT NULL, "failure_reason_code" TEXT, "failure_reason" TEXT, "transaction_number" TEXT NOT NULL, "meta" TEXT NOT NULL, "fraud_check_id" TEXT, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL, "processor_reference" TEXT NOT NULL);
INSERT INTO "debit_new" SELECT * FROM "debit";
DROP TABLE "debit";
ALTER TABLE "debit_new" RENAME TO "debit";
CREATE INDEX "debit_by_tenant" ON "debit"("tenant_id", "created_at");
CREATE INDEX "debit_on_card_id" ON "debit"("card_id");
CREATE INDEX "debit_on_customer_id" ON "debit"("customer_id");
CREATE INDEX "debit_by_card_hold" ON "debit"("card_hold_id");
