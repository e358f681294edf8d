-- v1
index journal_on_order_id: CREATE INDEX "journal_on_order_id" ON "journal"("order_id")
table journal: CREATE TABLE "journal" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "received_at" INTEGER NOT NULL, "message" TEXT NOT NULL, "order_id" TEXT, "trace_number" TEXT, "replayed" BOOLEAN NOT NULL, "http_status" INTEGER NOT NULL, "request" TEXT NOT NULL, "answer" TEXT NOT NULL)
table trace: CREATE TABLE "trace" ("merchant_id" TEXT NOT NULL, "number" TEXT NOT NULL, "request" TEXT NOT NULL, "answer" TEXT NOT NULL, PRIMARY KEY ("merchant_id", "number"))
table txn: CREATE TABLE "txn" ("ref" TEXT PRIMARY KEY NOT NULL, "merchant_id" TEXT NOT NULL, "order_id" TEXT NOT NULL, "message_type" TEXT NOT NULL, "amount" INTEGER NOT NULL, "captured" INTEGER NOT NULL, "refunded" INTEGER NOT NULL, "voided" BOOLEAN NOT NULL)
