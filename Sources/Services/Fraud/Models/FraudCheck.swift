import Foundation
import GRDB
import NIOCore
import ServiceKit

/// One scored payment attempt; the history velocity is counted from.
struct FraudCheck: Codable, Sendable, Equatable {
    var id: String
    /// The marketplace the payment is for; "" when a caller names none.
    var tenant: String
    var cardId: String
    var amount: Int
    var currency: String
    var cvvMatch: String?
    var brand: String?
    var score: Int
    var decision: String
    var cscCheck: String
    /// JSON array of reason codes.
    var reasons: String
    var createdAt: Date

    /// Spelled out, so that the wire name, the column and the code can only change together.
    enum CodingKeys: String, CodingKey {
        case id, tenant, amount, currency, brand, score, decision, reasons
        case cardId = "card_id"
        case cvvMatch = "cvv_match"
        case cscCheck = "csc_check"
        case createdAt = "created_at"
    }
}

extension FraudCheck: ServiceRecord, PersistableRecord {
    static let databaseTableName = "fraud_check"

    /// Checks of a card since a moment: the velocity signal.
    static func count(card: String, tenant: String, since: Date, in db: Database) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM fraud_check WHERE tenant = ? AND card_id = ? AND created_at >= ?"),
            arguments: [tenant, card, since.microsecondsSince1970]) ?? 0
    }

    var json: JSON {
        let reasonList = (try? JSON(parsing: ByteBuffer(string: reasons)))?.array ?? []
        return [
            "id": .string(id), "card_id": .string(cardId), "amount": .number(Double(amount)),
            "currency": .string(currency), "score": .number(Double(score)), "decision": .string(decision),
            "csc_check": .string(cscCheck), "reasons": .array(reasonList),
            "created_at": .string(createdAt.iso8601),
        ]
    }
}
