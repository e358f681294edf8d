import GRDB

/// Vault's schema. Migrations are named and never edited once landed: a change is a
/// new migration, and `Tests/Unit/Fixtures/schemas/vault.sql` pins what each one produces.
enum VaultMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "card") { t in
                t.primaryKey("id", .text)
                t.column("ciphertext", .blob).notNull()
                t.column("fingerprint", .text).notNull().indexed()
                t.column("bin", .text).notNull()
                t.column("last_four", .text).notNull()
                t.column("brand", .text).notNull()
                t.column("expiration_month", .integer).notNull()
                t.column("expiration_year", .integer).notNull()
                t.column("cvv_match", .text)
                t.column("name", .text)
                t.column("address", .text).notNull()
                t.column("avs_street_match", .text)
                t.column("avs_postal_match", .text)
                t.column("authorization", .text).notNull()
                t.column("tenant", .text)
                t.column("created_at", .integer).notNull()
            }
        }
        // Whether the issuer approves a charge is asked of the processor at each charge, not decided
        // once at tokenization; the processor's approvals are kept to capture, reverse and refund.
        migrator.registerMigration("v2-issuer-at-the-processor") { db in
            try db.alter(table: "card") { t in t.drop(column: "authorization") }
            try db.create(table: "authorization") { t in
                t.primaryKey("id", .text)
                t.column("card_id", .text).notNull().references("card")
                t.column("order_id", .text).notNull()
                t.column("amount", .integer).notNull()
                t.column("tenant", .text)
                t.column("created_at", .integer).notNull()
            }
        }
        // A card its owner deletes is kept for its history, without the number: its ciphertext is erased.
        migrator.registerMigration("v3-deleted-cards") { db in
            try db.alter(table: "card") { t in t.add(column: "deleted_at", .integer) }
        }
        return migrator
    }
}
