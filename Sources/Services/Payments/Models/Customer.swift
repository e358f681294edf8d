import Foundation
import GRDB
import ServiceKit

/// A buyer or merchant of the marketplace; fraud decides whether it is underwritten.
struct Customer: Codable, Sendable, Resource {
    static let plural = "customers"
    static let idPrefix = "CU"
    static let links: [String: JSON] = .init(
        uniqueKeysWithValues: [
            "bank_accounts", "card_holds", "cards", "credits", "debits", "disputes", "orders", "refunds", "reversals", "accounts",
        ].map { ("customers.\($0)", .string("/customers/{customers.id}/\($0)")) } + [
            ("customers.source", "/resources/{customers.source}"), ("customers.destination", "/resources/{customers.destination}"),
        ])
    static let identityFields = ["name", "business_name", "ein", "dob_month", "dob_year", "address"]
    /// The last four digits of a social security number, and an employer identification number (`12-3456789`):
    /// payments' document says the same.
    static let ssnLast4Pattern = "[0-9]{4}", einPattern = "[0-9]{2}-?[0-9]{7}"
    static let dobMonths = 1...12, dobYears = 1800...9999

    var id: String
    var tenantId: String
    var name: String?
    var businessName: String?
    var email: String?
    var phone: String?
    var ssnLast4: String?
    var ein: String?
    var sourceId: String?
    var dobMonth: Int?
    var dobYear: Int?
    var merchantStatus: String
    var address: String
    var meta: String
    var deletedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone, ein, address, meta
        case tenantId = "tenant_id"
        case businessName = "business_name"
        case ssnLast4 = "ssn_last4"
        case sourceId = "source_id"
        case dobMonth = "dob_month"
        case dobYear = "dob_year"
        case merchantStatus = "merchant_status"
        case deletedAt = "deleted_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    static let databaseTableName = "customer"

    enum Columns {
        static let sourceId = Column(CodingKeys.sourceId)
        static let deletedAt = Column(CodingKeys.deletedAt)
    }

    static func visible(to tenant: String) -> SQLExpression { tenantColumn == tenant && Columns.deletedAt == nil }

    init(id: String, tenant: String, now: Date) {
        self.id = id
        tenantId = tenant
        merchantStatus = "no-match"
        address = String(buffer: Self.address([:]).encoded())
        meta = "{}"
        createdAt = now
        updatedAt = now
    }

    static func address(_ lines: [String: JSON]) -> JSON {
        .object(
            Dictionary(
                uniqueKeysWithValues: ["line1", "line2", "city", "state", "postal_code", "country_code"].map {
                    ($0, lines[$0].flatMap { $0.string.map(JSON.string) } ?? .null)
                }))
    }

    mutating func merge(_ fields: [String: JSON]) throws(ServiceError) {
        if case .some(let value) = try Fields.string(fields, "name") { name = value }
        if case .some(let value) = try Fields.string(fields, "business_name") { businessName = value }
        if case .some(let value) = try Fields.string(fields, "email") { email = value }
        if case .some(let value) = try Fields.string(fields, "phone") { phone = value }
        if case .some(let value) = try Fields.string(fields, "ssn_last4") {
            guard value.map({ $0.wholeMatches(Self.ssnLast4Pattern) }) ?? true else {
                throw ServiceError.invalidField("ssn_last4", "must be four digits")
            }
            ssnLast4 = value
        }
        if case .some(let value) = try Fields.string(fields, "ein") {
            guard value.map({ $0.wholeMatches(Self.einPattern) }) ?? true else {
                throw ServiceError.invalidField("ein", "must be nine digits (12-3456789)")
            }
            ein = value?.filter { $0 != "-" }
        }
        if case .some(let value) = try Fields.integer(fields, "dob_month", Self.dobMonths) { dobMonth = value }
        if case .some(let value) = try Fields.integer(fields, "dob_year", Self.dobYears) { dobYear = value }
        if let given = fields["address"] {
            guard given.isNull || given.object != nil else { throw ServiceError.invalidField("address", "must be an object") }
            var lines = Fields.metaJSON(address).object ?? [:]
            for (key, value) in given.object ?? [:] where lines.keys.contains(key) {
                guard value.isNull || value.string != nil else { throw ServiceError.invalidField("address.\(key)", "must be a string") }
                lines[key] = value
            }
            address = String(buffer: Self.address(lines).encoded())
        }
        if let meta = try Fields.meta(fields) { self.meta = meta }
        if case .some(let source) = try Fields.link(fields, "source", prefixes: ["CC"]) { sourceId = source }
    }

    /// What fraud underwrites on.
    var identity: JSON {
        [
            "name": name.map(JSON.string) ?? nil, "business_name": businessName.map(JSON.string) ?? nil,
            "ein": ein.map(JSON.string) ?? nil, "dob_month": dobMonth.map { .number(Double($0)) } ?? nil,
            "dob_year": dobYear.map { .number(Double($0)) } ?? nil,
            "postal_code": Fields.metaJSON(address)["postal_code"],
        ]
    }

    var json: JSON {
        [
            "id": .string(id), "href": .string("/customers/\(id)"), "created_at": .string(createdAt.iso8601),
            "updated_at": .string(updatedAt.iso8601), "name": name.map(JSON.string) ?? nil,
            "business_name": businessName.map(JSON.string) ?? nil, "email": email.map(JSON.string) ?? nil,
            "phone": phone.map(JSON.string) ?? nil, "ssn_last4": ssnLast4 == nil ? nil : "xxxx",
            "ein": ein.map(JSON.string) ?? nil, "dob_month": dobMonth.map { .number(Double($0)) } ?? nil,
            "dob_year": dobYear.map { .number(Double($0)) } ?? nil, "merchant_status": .string(merchantStatus),
            "address": Fields.metaJSON(address), "meta": Fields.metaJSON(meta),
            "links": ["source": sourceId.map(JSON.string) ?? nil, "destination": nil],
        ]
    }
}
