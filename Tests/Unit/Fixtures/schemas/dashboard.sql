-- v1
table summary_snapshot: CREATE TABLE "summary_snapshot" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "tenant" TEXT NOT NULL, "generated_at" INTEGER NOT NULL, "debits" INTEGER NOT NULL, "succeeded_volume" INTEGER NOT NULL, "checks" INTEGER NOT NULL, "average_score" DOUBLE)
