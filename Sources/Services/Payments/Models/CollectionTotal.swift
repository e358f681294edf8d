import GRDB

/// How many rows a collection holds, maintained on insert so counting never scans a table.
enum CollectionTotal {
    static func increment(_ name: String, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO collection_total (name, total) VALUES (?, 1)
                ON CONFLICT(name) DO UPDATE SET total = total + 1
                """
        ).execute(arguments: [name])
    }

    static func total(_ name: String, in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT total FROM collection_total WHERE name = ?"), arguments: [name]) ?? 0
    }
}
