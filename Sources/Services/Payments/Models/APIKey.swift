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
        case id, meta
        case tenantId = "tenant_id"
        case secretHash = "secret_hash"
        case createdAt = "created_at"
    }

    static func hash(_ secret: String) -> String {
        let hex = Array("0123456789abcdef")
        return String(SHA256.hash(data: Data(secret.utf8)).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xF)]] })
    }

    enum Columns {
        static let tenantId = Column(CodingKeys.tenantId)
        static let secretHash = Column(CodingKeys.secretHash)
    }

    /// Every payments request asks this, so its statement is compiled once per connection.
    static func matching(secret: String, in db: Database) throws -> APIKey? {
        try APIKey.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_key WHERE secret_hash = ?"), arguments: [hash(secret)])
    }

    /// The key as the API shows it; `secret` only in the response that created it.
    func json(secret: String?) -> JSON {
        var fields: [String: JSON] = [
            "id": .string(id), "href": .string("/api_keys/\(id)"), "created_at": .string(createdAt.iso8601),
            "meta": Fields.metaJSON(meta), "links": [:], "scopes": [],
        ]
        fields["secret"] = secret.map(JSON.string)
        return .object(fields)
    }
}

extension APIKey: ServiceRecord, PersistableRecord {
    static let databaseTableName = "api_key"
}

/// The marketplace a tenant trades as: it exists from the first key, and is opened, with its owner
/// customer, by `POST /marketplaces`.
struct Marketplace: Codable, Sendable {
    var id: String
    var name: String?
    var ownerCustomerId: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name
        case ownerCustomerId = "owner_customer_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// - Parameter escrow: the marketplace's escrow balance, in cents.
    func json(escrow: Int) -> JSON {
        var links: [String: JSON] = [:]
        links["owner_customer"] = ownerCustomerId.map(JSON.string)
        return [
            "id": .string(id), "href": .string("/marketplaces/\(id)"), "name": .string(name ?? "Test Marketplace"),
            "created_at": .string(createdAt.iso8601), "updated_at": .string(updatedAt.iso8601),
            "in_escrow": .number(Double(escrow)), "unsettled_fees": 0, "domain_url": "example.com",
            "support_email_address": "support@example.com", "support_phone_number": "+16505551234", "production": false,
            "meta": [:], "links": .object(links),
        ]
    }
}

extension Marketplace: ServiceRecord, PersistableRecord {
    static let databaseTableName = "marketplace"
}
