import Foundation
import GRDB
import ServiceKit

/// Money returned from a debit; its ledger entries reverse the debit's.
struct Refund: Codable, Sendable, Annotated {
    static let plural = "refunds"
    static let idPrefix = "RF"
    static let links: [String: JSON] = [
        "refunds.debit": "/debits/{refunds.debit}", "refunds.dispute": "/disputes/{refunds.dispute}",
        "refunds.events": "/refunds/{refunds.id}/events", "refunds.order": "/orders/{refunds.order}",
    ]

    var id: String
    var tenantId: String
    var debitId: String
    var amount: Int
    var currency: String
    var description: String?
    var status: Debit.Status
    var transactionNumber: String
    var meta: String
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, description, status, meta
        case tenantId = "tenant_id"
        case debitId = "debit_id"
        case transactionNumber = "transaction_number"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    static let databaseTableName = "refund"

    enum Columns {
        static let debitId = Column(CodingKeys.debitId)
    }

    /// Saves a new refund and its ledger entries, which reverse the debit's: all or nothing.
    func record(in db: Database) throws {
        try insert(db)
        let debit = try Debit.find(debitId, tenant: tenantId, in: db)
        try Ledger.post(
            transaction: id, tenant: tenantId, from: Ledger.escrow, to: Ledger.account(card: debit.cardId),
            amount: amount, at: createdAt, in: db)
    }

    var json: JSON {
        [
            "id": .string(id), "href": .string("/refunds/\(id)"), "created_at": .string(createdAt.iso8601),
            "updated_at": .string(updatedAt.iso8601), "amount": .number(Double(amount)), "currency": .string(currency),
            "description": description.map(JSON.string) ?? nil, "status": .string(status.rawValue),
            "transaction_number": .string(transactionNumber), "meta": Fields.metaJSON(meta),
            "links": ["debit": .string(debitId), "order": nil, "dispute": nil],
        ]
    }
}
