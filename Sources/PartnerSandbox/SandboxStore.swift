import Foundation
import GRDB
import ServiceKit

/// What the sandbox remembers: the journal of every request it received, the transactions it
/// approved, and the answer to each trace number (Orbital's retry logic: a request sent again with the
/// same `Trace-number` gets the first answer back and moves no money twice).
enum SandboxStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "journal") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("received_at", .integer).notNull()
                t.column("message", .text).notNull()
                t.column("order_id", .text).indexed()
                t.column("trace_number", .text)
                t.column("replayed", .boolean).notNull()
                t.column("http_status", .integer).notNull()
                t.column("request", .text).notNull()
                t.column("answer", .text).notNull()
            }
            try db.create(table: "txn") { t in
                t.primaryKey("ref", .text)
                t.column("merchant_id", .text).notNull()
                t.column("order_id", .text).notNull()
                t.column("message_type", .text).notNull()
                t.column("amount", .integer).notNull()
                t.column("captured", .integer).notNull()
                t.column("refunded", .integer).notNull()
                t.column("voided", .boolean).notNull()
            }
            try db.create(table: "trace") { t in
                t.column("merchant_id", .text).notNull()
                t.column("number", .text).notNull()
                t.column("request", .text).notNull()
                t.column("answer", .text).notNull()
                t.primaryKey(["merchant_id", "number"])
            }
        }
        return migrator
    }

    /// An approved authorization and what has happened to it since.
    struct Transaction: Codable, FetchableRecord, PersistableRecord {
        static let databaseTableName = "txn"
        var ref: String
        var merchantId: String
        var orderId: String
        var messageType: String
        var amount: Int
        var captured: Int
        var refunded: Int
        var voided: Bool

        enum CodingKeys: String, CodingKey {
            case ref, amount, captured, refunded, voided
            case merchantId = "merchant_id"
            case orderId = "order_id"
            case messageType = "message_type"
        }
    }

    /// One line of the journal: what arrived (card number masked, security code and password hidden)
    /// and what was answered.
    struct Entry: Sendable {
        var receivedAt: Date
        var message: String
        var orderID: String?
        var traceNumber: String?
        var replayed: Bool
        var httpStatus: Int
        var request: [(String, String)]
        var answer: [(String, String)]

        func insert(_ db: Database) throws {
            try db.execute(
                sql: """
                    INSERT INTO journal (received_at, message, order_id, trace_number, replayed, http_status, request, answer)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    receivedAt.microsecondsSince1970, message, orderID, traceNumber, replayed, httpStatus,
                    Self.object(request), Self.object(answer),
                ])
        }

        static func object(_ fields: [(String, String)]) -> String {
            String(buffer: JSON.object(Dictionary(fields.map { ($0.0, JSON.string($0.1)) }, uniquingKeysWith: { a, _ in a })).encoded())
        }

        /// What a journal shows of a field as it arrived.
        static func shown(_ name: String, _ value: String) -> String {
            switch name {
            case "AccountNum" where value.count > 10: String(value.prefix(6)) + String(repeating: "*", count: value.count - 10) + value.suffix(4)
            case "CardSecVal", "OrbitalConnectionPassword": String(repeating: "*", count: value.count)
            default: value
            }
        }
    }

    static func journal(orderID: String?, in db: Database) throws -> JSON {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM journal WHERE (? IS NULL OR order_id = ?) ORDER BY id
                """, arguments: [orderID, orderID])
        return .array(
            rows.map { row in
                [
                    "id": .number(Double(row["id"] as Int)), "received_at": .string(Date(microsecondsSince1970: row["received_at"]).iso8601),
                    "message": .string(row["message"]), "order_id": (row["order_id"] as String?).map(JSON.string) ?? .null,
                    "trace_number": (row["trace_number"] as String?).map(JSON.string) ?? .null, "replayed": .bool(row["replayed"]),
                    "http_status": .number(Double(row["http_status"] as Int)),
                    "request": (try? JSON(parsing: .init(string: row["request"]))) ?? .null,
                    "answer": (try? JSON(parsing: .init(string: row["answer"]))) ?? .null,
                ]
            })
    }
}
