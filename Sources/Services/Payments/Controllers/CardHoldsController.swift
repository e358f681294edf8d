import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Card holds: read, list (voided ones are gone from the list), update, void, capture.
struct CardHoldsController {
    let api: API

    func addRoutes(to router: Router<ServiceContext>) {
        router.get("/card_holds") { request, _ in
            let tenant = try await api.auth.tenant(request)
            return try await api.list(CardHold.self, request, filter: CardHold.visible(to: tenant) && Column("voided_at") == nil)
        }
        api.addReadAndUpdate(CardHold.self, to: router)
        router.delete("/card_holds/{id}") { request, context in
            let tenant = try await api.auth.tenant(request)
            let id = try context.parameters.require("id")
            let now = api.clock()
            let hold = try await api.database.write { db -> CardHold in
                var hold = try CardHold.find(id, tenant: tenant, in: db)
                if let settled = hold.settled {
                    throw ServiceError(.conflict, "cannot-void-authorization", "Hold \(id) cannot be voided: \(settled).",
                                       categoryType: "logical")
                }
                hold.voidedAt = now
                hold.updatedAt = now
                try hold.update(db)
                return hold
            }
            return Response.json(hold.envelope)
        }
        router.post("/card_holds/{id}/debits") { request, context in
            let tenant = try await api.auth.tenant(request)
            let fields = try await request.fields("debits", context: context)
            let id = try context.parameters.require("id")
            return try await api.idempotently(request, tenant: tenant, fields: fields, context: context) {
                try await api.capture(id, tenant: tenant, fields: fields)
            }
        }
        router.get("/card_holds/{id}/debits") { request, context in
            let tenant = try await api.auth.tenant(request)
            return try await api.list(Debit.self, request, filter: Debit.visible(to: tenant) && Column("card_hold_id") == (try context.parameters.require("id")))
        }
    }
}
