@preconcurrency import Crypto
import Foundation
import GRDB
import ServiceKit

/// An API key: the secret a merchant authenticates with, and the marketplace it acts for.
///
/// Only a hash of the secret is stored; the secret itself is shown once, when the key is created.
struct APIKey: Codable, Sendable {
    var id: String
    var tenantId: String
    var secretHash: String
    var meta: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, meta, tenantId = "tenant_id", secretHash = "secret_hash", createdAt = "created_at"
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func matching(secret: String, in db: Database) throws -> APIKey? {
        try APIKey.filter(Column("secret_hash") == hash(secret)).fetchOne(db)
    }

    /// The key as the API shows it; `secret` only in the response that created it.
    func json(secret: String?) -> JSON {
        ["id": .string(id), "href": .string("/api_keys/\(id)"), "created_at": .string(createdAt.iso8601),
         "secret": secret.map(JSON.string) ?? nil, "meta": Fields.metaJSON(meta), "links": [:]]
    }
}

extension APIKey: ServiceRecord, PersistableRecord {
    static let databaseTableName = "api_key"
}

/// The marketplace a tenant trades as; it exists from the first key, and is "created" by `POST /marketplaces`.
struct Marketplace: Codable, Sendable {
    var id: String
    var name: String?
    var createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, createdAt = "created_at"
    }

    var json: JSON {
        ["id": .string(id), "href": .string("/marketplaces/\(id)"), "name": name.map(JSON.string) ?? nil,
         "created_at": createdAt.map { .string($0.iso8601) } ?? nil, "meta": [:], "links": [:]]
    }
}

extension Marketplace: ServiceRecord, PersistableRecord {
    static let databaseTableName = "marketplace"
}
