import Foundation
import GRDB
import ServiceKit

/// A card as payments knows it: vault's token and what vault said about it, plus the merchant's
/// customer link and meta. The number itself stays in vault.
struct Card: Codable, Sendable, Resource {
    static let plural = "cards"
    static let idPrefix = "CC"
    static let links: [String: JSON] = [
        "cards.card_holds": "/cards/{cards.id}/card_holds", "cards.customer": "/customers/{cards.customer}",
        "cards.debits": "/cards/{cards.id}/debits", "cards.disputes": "/cards/{cards.id}/disputes",
    ]

    var id: String
    /// nil for a card tokenized without a key, until a marketplace first uses it.
    var tenantId: String?
    var customerId: String?
    var name: String?
    var lastFour: String
    var brand: String
    var fingerprint: String
    var cvvMatch: String?
    var avsStreetMatch: String?
    var avsPostalMatch: String?
    var bankName: String
    var expirationMonth: Int
    var expirationYear: Int
    var address: String
    var meta: String
    var deletedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, brand, fingerprint, address, meta
        case tenantId = "tenant_id"
        case customerId = "customer_id"
        case lastFour = "last_four"
        case cvvMatch = "cvv_match"
        case avsStreetMatch = "avs_street_match"
        case avsPostalMatch = "avs_postal_match"
        case bankName = "bank_name"
        case expirationMonth = "expiration_month"
        case expirationYear = "expiration_year"
        case deletedAt = "deleted_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    static let databaseTableName = "card"

    enum Columns {
        static let customerId = Column(CodingKeys.customerId)
        static let deletedAt = Column(CodingKeys.deletedAt)
    }

    /// Cards of `tenant` that were not deleted.
    static func listed(for tenant: String) -> SQLExpression { tenantColumn == tenant && Columns.deletedAt == nil }

    /// Makes a card tokenized without a key the first marketplace's to use it.
    static func claim(_ id: String, for tenant: String, in db: Database) throws -> Card {
        try Card.filter(idColumn == id && tenantColumn == nil).updateAll(db, tenantColumn.set(to: tenant))
        return try find(id, tenant: tenant, in: db)
    }

    /// A card tokenized without a key is visible to every marketplace until one uses it.
    static func visible(to tenant: String) -> SQLExpression { tenantColumn == tenant || tenantColumn == nil }

    init(_ vault: VaultCard, tenant: String?, now: Date) {
        id = vault.id
        tenantId = tenant
        name = vault.name
        lastFour = vault.lastFour
        brand = vault.brand
        fingerprint = vault.fingerprint
        cvvMatch = vault.cvvMatch
        avsStreetMatch = vault.avsStreetMatch
        avsPostalMatch = vault.avsPostalMatch
        bankName = vault.bankName
        expirationMonth = vault.expirationMonth
        expirationYear = vault.expirationYear
        address = String(buffer: JSON.object(vault.address.mapValues { $0.map(JSON.string) ?? .null }).encoded())
        meta = "{}"
        createdAt = now
        updatedAt = now
    }

    mutating func merge(_ fields: [String: JSON]) throws(ServiceError) {
        if case .some(let name) = try Fields.string(fields, "name") { self.name = name }
        if let meta = try Fields.meta(fields) { self.meta = meta }
        if case .some(let customer) = try Fields.link(fields, "customer", prefixes: ["CU", "AC"]) { customerId = customer }
    }

    var json: JSON {
        let cvvResult: JSON =
            switch cvvMatch {
            case "yes": "Match"
            case "no": "No Match"
            case "unsupported": "Not Processed"
            default: nil
            }
        let avsResult = Self.avsResult(street: avsStreetMatch, postal: avsPostalMatch).map(JSON.string) ?? nil
        let masked = String(repeating: "x", count: brand == "American Express" ? 11 : 12) + lastFour
        return [
            "id": .string(id), "href": .string("/cards/\(id)"), "created_at": .string(createdAt.iso8601),
            "updated_at": .string(updatedAt.iso8601), "name": name.map(JSON.string) ?? nil, "number": .string(masked),
            "expiration_month": .number(Double(expirationMonth)), "expiration_year": .number(Double(expirationYear)),
            "cvv": cvvMatch == "yes" || cvvMatch == "no" ? "xxx" : nil,
            "cvv_match": cvvMatch.map(JSON.string) ?? nil, "cvv_result": cvvResult,
            "address": Fields.metaJSON(address),
            "avs_street_match": avsStreetMatch.map(JSON.string) ?? nil,
            "avs_postal_match": avsPostalMatch.map(JSON.string) ?? nil, "avs_result": avsResult,
            "fingerprint": .string(fingerprint), "brand": .string(brand), "is_verified": true,
            "can_debit": true, "can_credit": false, "type": "credit", "category": "other", "bank_name": .string(bankName),
            "meta": Fields.metaJSON(meta), "links": ["customer": customerId.map(JSON.string) ?? nil],
        ]
    }
}

extension Card {
    /// `avs_result`: the address check in words, from both of vault's match fields, so it never says the
    /// street went unverified when vault matched it (or did not). Balanced's own wording where its API
    /// showed it: a postal code alone, matched ("…street address not verified."), not matched, or not
    /// supported by the issuer ("Address not verified."). Nil when no postal code was checked.
    static func avsResult(street: String?, postal: String?) -> String? {
        switch (street, postal) {
        case (_, nil): nil
        case (_, "unsupported"), ("unsupported", _): "Address not verified."
        case ("yes", "yes"): "Street address and postal code match."
        case ("no", "yes"): "Postal code matches, but street address does not match."
        case (_, "yes"): "Postal code matches, but street address not verified."
        case ("yes", _): "Street address matches, but postal code does not match."
        default: "Street address and postal code do not match."
        }
    }
}
