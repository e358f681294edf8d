import Foundation
import GRDB
import ServiceKit

/// What payments' API resources share: an envelope name, link templates, a tenant, a JSON form, and
/// the fields a client may change (`PUT` merges them; `PATCH` patches the envelope, then merges).
protocol Resource: ServiceRecord, PersistableRecord, Sendable {
    /// The envelope key and path segment: `cards`, `card_holds`, `debits`, …
    static var plural: String { get }
    static var idPrefix: String { get }
    /// Top-level link templates of the envelope.
    static var links: [String: JSON] { get }
    /// Rows `tenant` may see; a resource of another tenant does not exist for it.
    static func visible(to tenant: String) -> SQLExpression
    var id: String { get }
    var updatedAt: Date { get set }
    var json: JSON { get }
    /// Applies the updatable fields present in `fields`; other keys are ignored.
    mutating func merge(_ fields: [String: JSON]) throws(ServiceError)
}

extension Resource {
    /// Columns every resource table has, under the same names.
    static var idColumn: Column { Column("id") }
    static var tenantColumn: Column { Column("tenant_id") }
    static var createdAtColumn: Column { Column("created_at") }

    /// Rows of `tenant`; a resource of another tenant does not exist for it.
    static func visible(to tenant: String) -> SQLExpression { tenantColumn == tenant }

    static func find(_ id: String, tenant: String, in db: Database) throws -> Self {
        guard let found = try filter(idColumn == id && visible(to: tenant)).fetchOne(db) else {
            throw ServiceError.notFound("\(plural.dropLast().replacingOccurrences(of: "_", with: " ").capitalized) \(id)")
        }
        return found
    }

    var envelope: JSON { [Self.plural: [json], "links": .object(Self.links)] }
}

/// Description and meta: what a client may change on a money movement.
protocol Annotated: Resource {
    var description: String? { get set }
    var meta: String { get set }
}

extension Annotated {
    mutating func merge(_ fields: [String: JSON]) throws(ServiceError) {
        if case .some(let description) = try Fields.string(fields, "description") { self.description = description }
        if let meta = try Fields.meta(fields) { self.meta = meta }
    }
}
