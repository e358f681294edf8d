import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Debits and their refunds: create against a card (by href, id or inline), read, list, update, refund.
struct DebitsController {
    let api: API

    func addRoutes(to router: Router<ServiceRequestContext>) {
        api.addMoneyMovement("/debits", plural: "debits", to: router) { tenant, fields, _ in
            let input = try ChargeInput(fields)
            let (card, issuer) = try await source(fields["source"], tenant: tenant)
            return try await api.charging.debit(card, issuer: issuer, tenant: tenant, input: input, customer: nil)
        }
        router.get("/debits") { request, _ in
            let tenant = try await api.auth.tenant(request)
            return try await api.list(own: Debit.self, request, tenant: tenant, counter: "\(tenant):debits")
        }
        api.addReadAndUpdate(Debit.self, to: router)
        api.addMoneyMovement("/debits/{id}/refunds", plural: "refunds", to: router) { tenant, fields, id in
            try await api.charging.refund(id, tenant: tenant, fields: fields)
        }
        api.addList(Refund.self, "/debits/{id}/refunds", to: router) { _, id in Refund.Columns.debitId == id }
        api.addList(Refund.self, "/refunds", to: router) { _, _ in true.sqlExpression }
        api.addReadAndUpdate(Refund.self, to: router)
    }

    /// The card a `POST /debits` names: an href (`/cards/CC…`), an id, or an inline card to tokenize
    /// (then with vault's answer for it).
    func source(_ source: JSON?, tenant: String) async throws -> (Card, VaultCard?) {
        switch source ?? .null {
        case .object(let card):
            let issuer = try await api.charging.vault.tokenize(.object(card), tenant: tenant)
            let tokenized = Card(issuer, tenant: tenant, now: api.clock())
            try await api.database.write { try tokenized.insert($0) }
            return (tokenized, issuer)
        case let reference:
            guard case .some(let id?) = try Fields.reference(reference, "source", prefixes: ["CC"]) else {
                throw ServiceError.invalidField("source", "is required: a card href, id or card object")
            }
            return (try await api.charging.card(id, tenant: tenant), nil)
        }
    }
}
