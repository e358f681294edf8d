import GRDB

/// Payments' schema. Migrations are named and never edited once merged.
public enum PaymentsMigrations {
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "debit") { t in
                t.primaryKey("id", .text)
                t.column("card_id", .text).notNull().indexed()
                t.column("amount", .integer).notNull()
                t.column("currency", .text).notNull()
                t.column("description", .text)
                t.column("appears_on_statement_as", .text).notNull()
                t.column("status", .text).notNull()
                t.column("failure_reason_code", .text)
                t.column("failure_reason", .text)
                t.column("transaction_number", .text).notNull()
                t.column("meta", .text).notNull()
                t.column("fraud_check_id", .text).notNull()
                t.column("created_at", .integer).notNull().indexed()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(table: "ledger_entry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("debit_id", .text).notNull().indexed().references("debit")
                t.column("account", .text).notNull()
                t.column("amount", .integer).notNull()
                t.column("created_at", .integer).notNull()
            }
            // Collection totals kept in step with inserts, so a page's `meta.total` costs the same at any size.
            try db.create(table: "collection_total") { t in
                t.primaryKey("name", .text)
                t.column("total", .integer).notNull()
            }
        }
        return migrator
    }
}
