import GRDB

/// Dashboard's schema. Migrations are named and never edited once landed: a change is a
/// new migration, and `Tests/Unit/Fixtures/schemas/dashboard.sql` pins what each one produces.
enum DashboardMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "summary_snapshot") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("tenant", .text).notNull()
                t.column("generated_at", .integer).notNull()
                t.column("debits", .integer).notNull()
                t.column("succeeded_volume", .integer).notNull()
                t.column("checks", .integer).notNull()
                t.column("average_score", .double)
            }
        }
        return migrator
    }
}
