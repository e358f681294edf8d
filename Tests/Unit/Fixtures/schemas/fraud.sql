-- v1
index fraud_check_on_card_recent: CREATE INDEX "fraud_check_on_card_recent" ON "fraud_check"("tenant", "card_id", "created_at")
table check_minute: CREATE TABLE "check_minute" ("tenant" TEXT NOT NULL, "minute" INTEGER NOT NULL, "decision" TEXT NOT NULL, "csc_check" TEXT NOT NULL, "checks" INTEGER NOT NULL, "score_total" INTEGER NOT NULL, PRIMARY KEY ("tenant", "minute", "decision", "csc_check"))
table fraud_check: CREATE TABLE "fraud_check" ("id" TEXT PRIMARY KEY NOT NULL, "tenant" TEXT NOT NULL, "card_id" TEXT NOT NULL, "amount" INTEGER NOT NULL, "currency" TEXT NOT NULL, "cvv_match" TEXT, "brand" TEXT, "score" INTEGER NOT NULL, "decision" TEXT NOT NULL, "csc_check" TEXT NOT NULL, "reasons" TEXT NOT NULL, "created_at" INTEGER NOT NULL)
