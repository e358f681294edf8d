import Foundation
import GRDB
import NIOCore
import ServiceKit

/// A debit of a card: money the merchant asked for, and what became of the request.
public struct Debit: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case succeeded, failed, pending }

    public var id: String
    public var cardId: String
    public var amount: Int
    public var currency: String
    public var description: String?
    public var appearsOnStatementAs: String
    public var status: Status
    public var failureReasonCode: String?
    public var failureReason: String?
    public var transactionNumber: String
    /// JSON object of string → string.
    public var meta: String
    public var fraudCheckId: String
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, description, status, meta
        case cardId = "card_id", appearsOnStatementAs = "appears_on_statement_as", failureReasonCode = "failure_reason_code"
        case failureReason = "failure_reason", transactionNumber = "transaction_number", fraudCheckId = "fraud_check_id"
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}

extension Debit: ServiceRecord, PersistableRecord {
    public static let databaseTableName = "debit"

    public enum Columns {
        public static let createdAt = Column("created_at")
    }
}

extension Debit {
    /// The debit a fraud verdict leads to.
    ///
    /// A failed security code fails the debit whatever the score; a rejection fails it; a review leaves
    /// it pending; anything else succeeds.
    static func outcome(of check: FraudCheck) -> (status: Status, code: String?, reason: String?) {
        if check.cscCheck == .fail {
            return (.failed, "csc-check-failed", "The card security code did not match.")
        }
        switch check.decision {
        case .reject: return (.failed, "high-risk", "The payment was declined by risk review (score \(check.score)).")
        case .review: return (.pending, nil, nil)
        case .accept: return (.succeeded, nil, nil)
        }
    }

    /// Saves a new debit and, if money moved, its ledger entries: all or nothing.
    public func record(in db: Database) throws {
        try insert(db)
        try CollectionTotal.increment("debits", in: db)
        if status == .succeeded {
            try Ledger.post(debit: self, in: db)
        }
    }

    public var json: JSON {
        let metaObject = (try? JSON(parsing: ByteBuffer(string: meta))) ?? [:]
        return [
            "id": .string(id), "href": .string("/debits/\(id)"),
            "created_at": .string(createdAt.iso8601), "updated_at": .string(updatedAt.iso8601),
            "amount": .number(Double(amount)), "currency": .string(currency),
            "appears_on_statement_as": .string(appearsOnStatementAs),
            "description": description.map(JSON.string) ?? .null, "status": .string(status.rawValue),
            "failure_reason_code": failureReasonCode.map(JSON.string) ?? .null,
            "failure_reason": failureReason.map(JSON.string) ?? .null,
            "transaction_number": .string(transactionNumber), "meta": metaObject,
            "links": ["source": .string(cardId), "customer": nil, "order": nil, "dispute": nil, "card_hold": nil],
        ]
    }
}
