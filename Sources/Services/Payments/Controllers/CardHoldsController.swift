import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Card holds: read, list (voided ones are gone from the list), update, void (`DELETE`, or `PUT` with
/// `is_void: true`), capture.
struct CardHoldsController {
    let api: API

    func addRoutes(to router: Router<ServiceRequestContext>) {
        api.addList(CardHold.self, "/card_holds", to: router) { _, _ in CardHold.Columns.voidedAt == nil }
        // Balanced's clients void a hold by updating it with `is_void: true` (`CardHold.cancel()`).
        api.addReadAndUpdate(
            CardHold.self, to: router,
            act: { hold, fields, tenant in
                guard fields["is_void"] == .bool(true), hold.voidedAt == nil else { return hold }
                return try await api.charging.void(hold.id, tenant: tenant)
            })
        router.delete("/card_holds/{id}") { request, context in
            let tenant = try await api.auth.tenant(request)
            return Response.json(try await api.charging.void(try context.parameters.require("id"), tenant: tenant).envelope)
        }
        api.addMoneyMovement("/card_holds/{id}/debits", plural: "debits", to: router) { tenant, fields, id in
            try await api.charging.capture(id, tenant: tenant, fields: fields)
        }
        api.addList(Debit.self, "/card_holds/{id}/debits", to: router) { _, id in Debit.Columns.cardHoldId == id }
    }
}
