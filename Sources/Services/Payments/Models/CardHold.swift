import Foundation
import GRDB
import ServiceKit

/// An authorization on a card: money set aside for seven days, then captured as a debit or voided.
struct CardHold: Codable, Sendable, Annotated {
    static let plural = "card_holds"
    static let idPrefix = "HL"
    static let links: [String: JSON] = [
        "card_holds.card": "/cards/{card_holds.card}", "card_holds.debit": "/debits/{card_holds.debit}",
        "card_holds.debits": "/card_holds/{card_holds.id}/debits", "card_holds.events": "/card_holds/{card_holds.id}/events",
    ]
    static let lifetime: TimeInterval = 7 * 24 * 3600

    var id: String
    var tenantId: String
    var cardId: String
    var amount: Int
    var currency: String
    var description: String?
    var status: Debit.Status
    var failureReasonCode: String?
    var failureReason: String?
    var transactionNumber: String
    var meta: String
    var debitId: String?
    var fraudCheckId: String?
    var expiresAt: Date
    var voidedAt: Date?
    var createdAt: Date
    var updatedAt: Date
    /// The processor's reference for the approval that holds the money.
    var processorReference: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, description, status, meta
        case tenantId = "tenant_id"
        case cardId = "card_id"
        case failureReasonCode = "failure_reason_code"
        case failureReason = "failure_reason"
        case transactionNumber = "transaction_number"
        case debitId = "debit_id"
        case fraudCheckId = "fraud_check_id"
        case expiresAt = "expires_at"
        case voidedAt = "voided_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case processorReference = "processor_reference"
    }

    static let databaseTableName = "card_hold"

    enum Columns {
        static let cardId = Column(CodingKeys.cardId)
        static let voidedAt = Column(CodingKeys.voidedAt)
    }

    /// Why this hold cannot be captured or voided at `now`, if it cannot.
    func settled(at now: Date) -> String? {
        if voidedAt != nil { return "it was voided" }
        if debitId != nil { return "it was captured" }
        if status != .succeeded { return "it is \(status.rawValue)" }
        if now >= expiresAt { return "it expired at \(expiresAt.iso8601)" }
        return nil
    }

    /// A 409 with `code` unless the hold can still be captured or voided at `now`.
    func requireOpen(at now: Date, toBe action: String, else code: String) throws(ServiceError) {
        if let settled = settled(at: now) {
            throw ServiceError(.conflict, code, "Hold \(id) cannot be \(action): \(settled).", categoryType: "logical")
        }
    }

    var json: JSON {
        [
            "id": .string(id), "href": .string("/card_holds/\(id)"), "created_at": .string(createdAt.iso8601),
            "updated_at": .string(updatedAt.iso8601), "expires_at": .string(expiresAt.iso8601),
            "voided_at": voidedAt.map { .string($0.iso8601) } ?? nil, "transaction_number": .string(transactionNumber),
            "amount": .number(Double(amount)), "currency": .string(currency),
            "description": description.map(JSON.string) ?? nil, "status": .string(status.rawValue),
            "failure_reason_code": failureReasonCode.map(JSON.string) ?? nil,
            "failure_reason": failureReason.map(JSON.string) ?? nil, "meta": Fields.metaJSON(meta),
            "links": ["card": .string(cardId), "debit": debitId.map(JSON.string) ?? nil],
        ]
    }
}
