import GRDB

/// Fraud's schema. Migrations are named and never edited once landed: a change is a
/// new migration, and `Tests/Unit/Fixtures/schemas/fraud.sql` pins what each one produces.
enum FraudMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "fraud_check") { t in
                t.primaryKey("id", .text)
                t.column("tenant", .text).notNull()
                t.column("card_id", .text).notNull()
                t.column("amount", .integer).notNull()
                t.column("currency", .text).notNull()
                t.column("cvv_match", .text)
                t.column("brand", .text)
                t.column("score", .integer).notNull()
                t.column("decision", .text).notNull()
                t.column("csc_check", .text).notNull()
                t.column("reasons", .text).notNull()
                t.column("created_at", .integer).notNull()
            }
            try db.create(index: "fraud_check_on_card_recent", on: "fraud_check", columns: ["tenant", "card_id", "created_at"])
            // Per-minute totals kept in step with checks, so statistics over a window read at most
            // one row per minute and outcome, however many checks the window holds.
            try db.create(table: "check_minute") { t in
                t.column("tenant", .text).notNull()
                t.column("minute", .integer).notNull()
                t.column("decision", .text).notNull()
                t.column("csc_check", .text).notNull()
                t.column("checks", .integer).notNull()
                t.column("score_total", .integer).notNull()
                t.primaryKey(["tenant", "minute", "decision", "csc_check"])
            }
        }
        return migrator
    }
}
