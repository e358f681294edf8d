import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Cards: tokenize through vault (with or without a key, from JSON or a form), read, list, update,
/// associate with a customer, delete, and debit or hold.
struct CardsController {
    let api: API

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/cards") { request, context in
            let tenant = try await api.auth.optionalTenant(request)
            let fields = try await request.fields("cards", context: context)
            let card = Card(try await api.charging.vault.tokenize(.object(fields), tenant: tenant), tenant: tenant, now: api.clock())
            try await api.database.write { try card.insert($0) }
            guard tenant != nil else {
                // A browser tokenizing without a key gets the token and nothing more, as from Balanced.
                return Response.json(
                    [
                        "cards": [["id": .string(card.id), "href": .string("/cards/\(card.id)"), "links": [:]]],
                        "links": .object(Card.links),
                    ], status: .created)
            }
            return Reply.created(card).response
        }
        api.addList(Card.self, "/cards", to: router) { tenant, _ in Card.listed(for: tenant) }
        router.get("/cards/{id}") { request, context in
            let tenant = try await api.auth.tenant(request)
            return Response.json(try await api.charging.card(try context.parameters.require("id"), tenant: tenant).envelope)
        }
        api.addReadAndUpdate(
            Card.self, to: router, read: false,
            check: { card, tenant, db in
                if let customer = card.customerId { _ = try Customer.find(customer, tenant: tenant, in: db) }
            })
        router.delete("/cards/{id}") { request, context in
            let tenant = try await api.auth.tenant(request)
            var card = try await api.charging.card(try context.parameters.require("id"), tenant: tenant)
            guard card.deletedAt == nil else { return Response(status: .noContent) }
            // Vault first: a card payments shows as deleted must already be one vault cannot charge.
            try await api.charging.vault.delete(card.id, tenant: tenant)
            card.deletedAt = api.clock()
            try await api.database.write { [card] in try card.update($0) }
            return Response(status: .noContent)
        }
        api.addMoneyMovement("/cards/{id}/debits", plural: "debits", to: router) { tenant, fields, id in
            let input = try ChargeInput(fields)
            return try await api.charging.debit(try await api.charging.card(id, tenant: tenant), tenant: tenant, input: input, customer: nil)
        }
        api.addList(Debit.self, "/cards/{id}/debits", to: router) { _, id in Debit.Columns.cardId == id }
        api.addMoneyMovement("/cards/{id}/card_holds", plural: "card_holds", to: router) { tenant, fields, id in
            let input = try ChargeInput(fields)
            return try await api.charging.hold(try await api.charging.card(id, tenant: tenant), tenant: tenant, input: input)
        }
        api.addList(CardHold.self, "/cards/{id}/card_holds", to: router) { _, id in
            CardHold.Columns.cardId == id && CardHold.Columns.voidedAt == nil
        }
        api.addEmptyCollections(["disputes"], under: "cards", to: router)
    }
}
