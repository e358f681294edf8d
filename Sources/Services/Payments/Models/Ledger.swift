import Foundation
import GRDB
import ServiceKit

/// Double-entry bookkeeping for money that moved: every posting sums to zero.
struct LedgerEntry: Codable, Sendable, Equatable {
    var id: Int64?
    var tenantId: String
    /// The debit or refund that moved the money.
    var transactionId: String
    var account: String
    var amount: Int
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, account, amount
        case tenantId = "tenant_id"
        case transactionId = "transaction_id"
        case createdAt = "created_at"
    }
}

extension LedgerEntry: ServiceRecord, MutablePersistableRecord {
    static let databaseTableName = "ledger_entry"

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

enum Ledger {
    /// The account funds in flight to the marketplace sit in.
    static let escrow = "marketplace:escrow"

    static func account(card: String) -> String { "card:\(card)" }

    /// Moves `amount` from one account to another: two entries that sum to zero.
    static func post(
        transaction: String, tenant: String, from: String, to: String, amount: Int, at date: Date,
        in db: Database
    ) throws {
        var debit = LedgerEntry(tenantId: tenant, transactionId: transaction, account: from, amount: -amount, createdAt: date)
        var credit = LedgerEntry(tenantId: tenant, transactionId: transaction, account: to, amount: amount, createdAt: date)
        try debit.insert(db)
        try credit.insert(db)
        for entry in [debit, credit] {
            try db.cachedStatement(
                sql: """
                    INSERT INTO account_balance (tenant_id, account, balance) VALUES (?, ?, ?)
                    ON CONFLICT(tenant_id, account) DO UPDATE SET balance = balance + excluded.balance
                    """
            ).execute(arguments: [tenant, entry.account, entry.amount])
        }
    }

    /// The sum of every entry: zero, or the books are broken.
    static func imbalance(in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM ledger_entry") ?? 0
    }

    /// A marketplace's balance of an account, kept as entries are posted.
    static func balance(of account: String, tenant: String, in db: Database) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT balance FROM account_balance WHERE tenant_id = ? AND account = ?"),
            arguments: [tenant, account]) ?? 0
    }

    static func balance(of account: String, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE account = ?", arguments: [account]) ?? 0
    }
}
