-- v1
index card_on_fingerprint: CREATE INDEX "card_on_fingerprint" ON "card"("fingerprint")
table card: CREATE TABLE "card" ("id" TEXT PRIMARY KEY NOT NULL, "ciphertext" BLOB NOT NULL, "fingerprint" TEXT NOT NULL, "bin" TEXT NOT NULL, "last_four" TEXT NOT NULL, "brand" TEXT NOT NULL, "expiration_month" INTEGER NOT NULL, "expiration_year" INTEGER NOT NULL, "cvv_match" TEXT, "name" TEXT, "address" TEXT NOT NULL, "avs_street_match" TEXT, "avs_postal_match" TEXT, "authorization" TEXT NOT NULL, "tenant" TEXT, "created_at" INTEGER NOT NULL)

-- v2-issuer-at-the-processor
table authorization: CREATE TABLE "authorization" ("id" TEXT PRIMARY KEY NOT NULL, "card_id" TEXT NOT NULL REFERENCES "card"("id"), "order_id" TEXT NOT NULL, "amount" INTEGER NOT NULL, "tenant" TEXT, "created_at" INTEGER NOT NULL)
table card: CREATE TABLE "card" ("id" TEXT PRIMARY KEY NOT NULL, "ciphertext" BLOB NOT NULL, "fingerprint" TEXT NOT NULL, "bin" TEXT NOT NULL, "last_four" TEXT NOT NULL, "brand" TEXT NOT NULL, "expiration_month" INTEGER NOT NULL, "expiration_year" INTEGER NOT NULL, "cvv_match" TEXT, "name" TEXT, "address" TEXT NOT NULL, "avs_street_match" TEXT, "avs_postal_match" TEXT, "tenant" TEXT, "created_at" INTEGER NOT NULL)

-- v3-deleted-cards
table card: CREATE TABLE "card" ("id" TEXT PRIMARY KEY NOT NULL, "ciphertext" BLOB NOT NULL, "fingerprint" TEXT NOT NULL, "bin" TEXT NOT NULL, "last_four" TEXT NOT NULL, "brand" TEXT NOT NULL, "expiration_month" INTEGER NOT NULL, "expiration_year" INTEGER NOT NULL, "cvv_match" TEXT, "name" TEXT, "address" TEXT NOT NULL, "avs_street_match" TEXT, "avs_postal_match" TEXT, "tenant" TEXT, "created_at" INTEGER NOT NULL, "deleted_at" INTEGER)
