import Foundation
import GRDB
import ServiceKit

/// An approval the processor gave for a charge on a card: what later captures, reversals and refunds of
/// that charge name (`id` is the processor's `TxRefNum`).
struct Authorization: Codable, Sendable, Equatable {
    var id: String
    var cardId: String
    var orderId: String
    var amount: Int
    /// The marketplace that asked for it; only it may settle it.
    var tenant: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, amount, tenant
        case cardId = "card_id"
        case orderId = "order_id"
        case createdAt = "created_at"
    }
}

extension Authorization: ServiceRecord, PersistableRecord {
    static let databaseTableName = "authorization"

    /// The authorization `id`, if `tenant` asked for it.
    static func visible(_ id: String, tenant: String?, in database: ServiceDatabase) async throws -> Authorization {
        guard let found = try await database.read({ try Authorization.fetchOne($0, key: id) }), found.tenant == tenant else {
            throw ServiceError.notFound("Authorization \(id)")
        }
        return found
    }
}
