import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// `POST /api_keys` opens a marketplace (or adds a key to the caller's); `/marketplaces` describes it.
struct AccountsController {
    let api: API

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/api_keys") { request, context in
            let fields = try await request.fields("api_keys", context: context)
            let tenant = try await api.auth.optionalTenant(request)
            let meta = try Fields.meta(fields) ?? "{}"
            var system = SystemRandomNumberGenerator()
            let secret = "ak-test-" + IDs.random(32, using: &system)
            let now = api.clock()
            let key = try await api.database.write { db -> APIKey in
                let tenantID = tenant ?? IDs.make("MP")
                if tenant == nil { try Marketplace(id: tenantID, createdAt: now, updatedAt: now).insert(db) }
                let key = APIKey(id: IDs.make("AK"), tenantId: tenantID, secretHash: APIKey.hash(secret), meta: meta, createdAt: now)
                try key.insert(db)
                return key
            }
            return Response.json(["api_keys": [key.json(secret: secret)], "links": [:]], status: .created)
        }
        router.get("/api_keys") { request, _ in
            let tenant = try await api.auth.tenant(request)
            let keys = try await api.database.read { try APIKey.filter(APIKey.Columns.tenantId == tenant).fetchAll($0) }
            return Response.json(
                Envelope.page(
                    "api_keys", keys.map { $0.json(secret: nil) }, links: [:], path: "/api_keys",
                    limit: max(10, keys.count), offset: 0, total: keys.count))
        }
        router.get("/api_keys/{id}") { request, context in
            let tenant = try await api.auth.tenant(request)
            let id = try context.parameters.require("id")
            guard let key = try await api.database.read({ try APIKey.fetchOne($0, key: id) }), key.tenantId == tenant else {
                throw ServiceError.notFound("API key \(id)")
            }
            return Response.json(["api_keys": [key.json(secret: nil)], "links": [:]])
        }
        router.post("/marketplaces") { request, context in
            let tenant = try await api.auth.tenant(request)
            let name = try Fields.string(try await request.fields("marketplaces", context: context), "name") ?? nil
            let now = api.clock()
            let marketplace = try await api.database.write { db -> JSON in
                guard var marketplace = try Marketplace.fetchOne(db, key: tenant) else { throw ServiceError.notFound("Marketplace") }
                guard marketplace.ownerCustomerId == nil else {
                    throw ServiceError(
                        .conflict, "marketplace-already-created", "Marketplace has already been created.",
                        categoryType: "logical")
                }
                var owner = Customer(id: IDs.make(Customer.idPrefix), tenant: tenant, now: now)
                owner.businessName = name ?? "Test Marketplace"
                try owner.insert(db)
                marketplace.name = owner.businessName
                marketplace.ownerCustomerId = owner.id
                marketplace.updatedAt = now
                try marketplace.update(db)
                return marketplace.json(escrow: try Ledger.balance(of: Ledger.escrow, tenant: tenant, in: db))
            }
            return Response.json(["marketplaces": [marketplace], "links": Self.marketplaceLinks], status: .created)
        }
        router.get("/marketplaces") { request, _ in
            let tenant = try await api.auth.tenant(request)
            let items =
                try await api.database.read { db in
                    try Marketplace.fetchOne(db.cachedStatement(sql: "SELECT * FROM marketplace WHERE id = ?"), arguments: [tenant]).map {
                        [$0.json(escrow: try Ledger.balance(of: Ledger.escrow, tenant: tenant, in: db))]
                    }
                } ?? []
            return Response.json(
                Envelope.page(
                    "marketplaces", items, links: Self.marketplaceLinks.object ?? [:], path: "/marketplaces",
                    limit: 10, offset: 0, total: items.count))
        }
    }

    /// The marketplace's collections, as Balanced linked them.
    static let marketplaceLinks: JSON = .object(
        Dictionary(
            uniqueKeysWithValues: [
                "bank_accounts", "callbacks", "card_holds", "cards", "credits", "customers", "debits", "disputes", "events",
                "external_accounts", "orders", "refunds", "reversals",
            ].map { ("marketplaces.\($0)", JSON.string("/\($0)")) }))
}
