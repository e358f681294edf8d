import Foundation
import GRDB
import ServiceKit

/// A debit of a card: money the merchant asked for, and what became of the request.
struct Debit: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable { case succeeded, failed, pending }

    var id: String
    var tenantId: String
    var cardId: String
    var customerId: String?
    var cardHoldId: String?
    var amount: Int
    var currency: String
    var description: String?
    var appearsOnStatementAs: String
    var status: Status
    var failureReasonCode: String?
    var failureReason: String?
    var transactionNumber: String
    /// JSON object of string → string.
    var meta: String
    var fraudCheckId: String?
    var createdAt: Date
    var updatedAt: Date
    /// The processor's reference for the money this debit moved (its approval, or its hold's).
    var processorReference: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, description, status, meta
        case tenantId = "tenant_id"
        case cardId = "card_id"
        case customerId = "customer_id"
        case cardHoldId = "card_hold_id"
        case appearsOnStatementAs = "appears_on_statement_as"
        case failureReasonCode = "failure_reason_code"
        case failureReason = "failure_reason"
        case transactionNumber = "transaction_number"
        case fraudCheckId = "fraud_check_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case processorReference = "processor_reference"
    }
}

extension Debit: ServiceRecord, PersistableRecord, Annotated {
    /// Column by column rather than through `Codable`, which was most of the cost of a page of debits.
    init(row: Row) throws {
        guard let status = Status(rawValue: row["status"]) else {
            throw DatabaseError(message: "debit \(row["id"] as String) has an unknown status \(row["status"] as String)")
        }
        self.init(
            id: row["id"], tenantId: row["tenant_id"], cardId: row["card_id"], customerId: row["customer_id"],
            cardHoldId: row["card_hold_id"], amount: row["amount"], currency: row["currency"], description: row["description"],
            appearsOnStatementAs: row["appears_on_statement_as"], status: status,
            failureReasonCode: row["failure_reason_code"], failureReason: row["failure_reason"],
            transactionNumber: row["transaction_number"], meta: row["meta"], fraudCheckId: row["fraud_check_id"],
            createdAt: Date(microsecondsSince1970: row["created_at"]), updatedAt: Date(microsecondsSince1970: row["updated_at"]),
            processorReference: row["processor_reference"])
    }

    static let databaseTableName = "debit"
    static let plural = "debits"
    static let idPrefix = "WD"
    static let links: [String: JSON] = [
        "debits.customer": "/customers/{debits.customer}", "debits.dispute": "/disputes/{debits.dispute}",
        "debits.events": "/debits/{debits.id}/events", "debits.order": "/orders/{debits.order}",
        "debits.refunds": "/debits/{debits.id}/refunds", "debits.source": "/resources/{debits.source}",
        "debits.card_hold": "/card_holds/{debits.card_hold}",
    ]

    enum Columns {
        static let cardId = Column(CodingKeys.cardId)
        static let customerId = Column(CodingKeys.customerId)
        static let cardHoldId = Column(CodingKeys.cardHoldId)
    }

    /// Saves a new debit and, if money moved, its ledger entries: all or nothing.
    func record(in db: Database) throws {
        try insert(db)
        try CollectionTotal.increment("\(tenantId):debits", in: db)
        if status == .succeeded {
            try Ledger.post(
                transaction: id, tenant: tenantId, from: Ledger.account(card: cardId), to: Ledger.escrow,
                amount: amount, at: createdAt, in: db)
        }
    }

    /// What is left to refund: the amount less every refund so far.
    func refundable(in db: Database) throws -> Int {
        amount - (try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM refund WHERE debit_id = ?", arguments: [id]) ?? 0)
    }

    var json: JSON {
        [
            "id": .string(id), "href": .string("/debits/\(id)"),
            "created_at": .string(createdAt.iso8601), "updated_at": .string(updatedAt.iso8601),
            "amount": .number(Double(amount)), "currency": .string(currency),
            "appears_on_statement_as": .string(appearsOnStatementAs),
            "description": description.map(JSON.string) ?? .null, "status": .string(status.rawValue),
            "failure_reason_code": failureReasonCode.map(JSON.string) ?? .null,
            "failure_reason": failureReason.map(JSON.string) ?? .null,
            "transaction_number": .string(transactionNumber), "meta": Fields.metaJSON(meta),
            "links": [
                "source": .string(cardId), "customer": customerId.map(JSON.string) ?? nil, "order": nil,
                "dispute": nil, "card_hold": cardHoldId.map(JSON.string) ?? nil,
            ],
        ]
    }
}
