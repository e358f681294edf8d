import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// `POST /api_keys` opens a marketplace (or adds a key to the caller's); `/marketplaces` describes it.
struct AccountsController {
    let api: API

    func addRoutes(to router: Router<ServiceContext>) {
        router.post("/api_keys") { request, context in
            let fields = try await request.fields("api_keys", context: context)
            let tenant = try await api.auth.optionalTenant(request)
            let meta = try Fields.meta(fields) ?? "{}"
            let secret = "ak-test-" + IDs.random(32)
            let now = api.clock()
            let key = try await api.database.write { db -> APIKey in
                let tenantID = tenant ?? IDs.make("MP")
                if tenant == nil { try Marketplace(id: tenantID).insert(db) }
                let key = APIKey(id: IDs.make("AK"), tenantId: tenantID, secretHash: APIKey.hash(secret), meta: meta, createdAt: now)
                try key.insert(db)
                return key
            }
            return Response.json(["api_keys": [key.json(secret: secret)], "links": [:]], status: .created)
        }
        router.get("/api_keys") { request, _ in
            let tenant = try await api.auth.tenant(request)
            let keys = try await api.database.read { try APIKey.filter(Column("tenant_id") == tenant).fetchAll($0) }
            return Response.json(Envelope.page("api_keys", keys.map { $0.json(secret: nil) }, links: [:], path: "/api_keys",
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
            let marketplace = try await api.database.write { db -> Marketplace in
                guard var marketplace = try Marketplace.fetchOne(db, key: tenant) else { throw ServiceError.notFound("Marketplace") }
                guard marketplace.createdAt == nil else {
                    throw ServiceError(.conflict, "marketplace-already-created", "Marketplace has already been created.",
                                       categoryType: "logical")
                }
                marketplace.name = name ?? "Test Marketplace"
                marketplace.createdAt = now
                try marketplace.update(db)
                return marketplace
            }
            return Response.json(["marketplaces": [marketplace.json], "links": [:]], status: .created)
        }
        router.get("/marketplaces") { request, _ in
            let tenant = try await api.auth.tenant(request)
            let marketplace = try await api.database.read { try Marketplace.fetchOne($0, key: tenant) }
            let items = marketplace.map { [$0.json] } ?? []
            return Response.json(Envelope.page("marketplaces", items, links: [:], path: "/marketplaces",
                                               limit: 10, offset: 0, total: items.count))
        }
    }
}

extension Marketplace {
    init(id: String) { self.init(id: id, name: nil, createdAt: nil) }
}
