import Foundation
import GRDB
import ServiceKit

/// A money-moving request made with an `Idempotency-Key`, and its response once there is one.
struct IdempotentRequest: Codable, Sendable {
    var tenantId: String
    var key: String
    /// Method, path and body of the first request, to refuse the key's reuse for another request.
    var request: String
    var status: Int?
    var response: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case key, request, status, response, tenantId = "tenant_id", createdAt = "created_at"
    }

    static let databaseTableName = "idempotent_request"

    /// Claims the key for this request, or returns who claimed it first.
    static func claim(_ claim: IdempotentRequest, in db: Database) throws -> IdempotentRequest? {
        if let existing = try fetchOne(db, key: ["tenant_id": claim.tenantId, "key": claim.key]) { return existing }
        try claim.insert(db)
        return nil
    }
}

extension IdempotentRequest: ServiceRecord, PersistableRecord {}
