import Foundation
import GRDB
import ServiceKit

/// Double-entry bookkeeping for money that moved: every posting sums to zero.
public struct LedgerEntry: Codable, Sendable, Equatable {
    public var id: Int64?
    public var debitId: String
    public var account: String
    public var amount: Int
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, account, amount, debitId = "debit_id", createdAt = "created_at"
    }
}

extension LedgerEntry: ServiceRecord, MutablePersistableRecord {
    public static let databaseTableName = "ledger_entry"

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum Ledger {
    /// The account funds in flight to the marketplace sit in.
    public static let escrow = "marketplace:escrow"

    public static func account(card: String) -> String { "card:\(card)" }

    /// Moves a succeeded debit's amount from the card to escrow.
    static func post(debit: Debit, in db: Database) throws {
        var from = LedgerEntry(debitId: debit.id, account: account(card: debit.cardId), amount: -debit.amount, createdAt: debit.createdAt)
        var to = LedgerEntry(debitId: debit.id, account: escrow, amount: debit.amount, createdAt: debit.createdAt)
        try from.insert(db)
        try to.insert(db)
    }

    /// The sum of every entry: zero, or the books are broken.
    public static func imbalance(in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM ledger_entry") ?? 0
    }

    public static func balance(of account: String, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE account = ?", arguments: [account]) ?? 0
    }
}
