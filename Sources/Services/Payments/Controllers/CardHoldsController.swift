import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Card holds: read, list (voided ones are gone from the list), update, void, capture.
struct CardHoldsController {
    let api: API

    func addRoutes(to router: Router<ServiceContext>) {
        api.addList(CardHold.self, "/card_holds", to: router) { _, _ in Column("voided_at") == nil }
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
        api.addMoneyMovement("/card_holds/{id}/debits", plural: "debits", to: router) { tenant, fields, id in
            try await api.capture(id ?? "", tenant: tenant, fields: fields)
        }
        api.addList(Debit.self, "/card_holds/{id}/debits", to: router) { _, id in Column("card_hold_id") == id }
    }
}
