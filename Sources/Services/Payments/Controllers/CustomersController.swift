import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Customers: create, read, list, update (fraud underwrites them as they change), delete, and debit
/// their funding source.
struct CustomersController {
    let api: API

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/customers") { request, context in
            let tenant = try await api.auth.tenant(request)
            var customer = Customer(id: IDs.make(Customer.idPrefix), tenant: tenant, now: api.clock())
            try customer.merge(try await request.fields("customers", context: context))
            customer = try await underwrite(customer, tenant)
            let created = customer
            try await api.database.write { db in
                try created.insert(db)
                try checkSource(created, tenant, db)
            }
            return Reply.created(created).response
        }
        api.addList(Customer.self, "/customers", to: router) { _, _ in true.sqlExpression }
        api.addReadAndUpdate(Customer.self, to: router, check: checkSource, refresh: underwrite)
        router.delete("/customers/{id}") { request, context in
            let tenant = try await api.auth.tenant(request)
            let id = try context.parameters.require("id")
            let now = api.clock()
            try await api.database.write { db in
                var customer = try Customer.find(id, tenant: tenant, in: db)
                customer.deletedAt = now
                try customer.update(db)
            }
            return Response(status: .noContent)
        }
        router.get("/customers/{id}/accounts") { request, context in
            let tenant = try await api.auth.tenant(request)
            let id = try context.parameters.require("id")
            _ = try await api.database.read { try Customer.find(id, tenant: tenant, in: $0) }
            return Response.json(Envelope.page("accounts", [], links: [:], path: request.uri.path, limit: 10, offset: 0, total: 0))
        }
        api.addList(Card.self, "/customers/{id}/cards", to: router) { tenant, id in
            Card.listed(for: tenant) && Card.Columns.customerId == id
        }
        api.addList(Debit.self, "/customers/{id}/debits", to: router) { _, id in Debit.Columns.customerId == id }
        api.addMoneyMovement("/customers/{id}/debits", plural: "debits", to: router) { tenant, fields, id in
            let customer = try await api.database.read { try Customer.find(id, tenant: tenant, in: $0) }
            guard let source = customer.sourceId else {
                throw ServiceError(.conflict, "no-funding-source", "The account has no valid funding sources.", categoryType: "logical")
            }
            let input = try ChargeInput(fields)
            return try await api.charging.debit(
                try await api.charging.card(source, tenant: tenant), tenant: tenant, input: input,
                customer: customer.id)
        }
        api.addEmptyCollections(
            ["bank_accounts", "credits", "disputes", "reversals", "orders", "refunds", "card_holds"],
            under: "customers", to: router)
    }

    /// Asks fraud whether the customer, as now described, can be underwritten.
    @Sendable func underwrite(_ customer: Customer, _ tenant: String) async throws -> Customer {
        var customer = customer
        customer.merchantStatus = try await api.charging.fraud.underwrite(customer.identity, tenant: tenant).merchantStatus.rawValue
        return customer
    }

    /// A customer's source is a card of the marketplace (a 404 otherwise, as for any card the request
    /// names), and becomes the customer's if it was no one's, as Balanced did for a customer created with a `source`.
    @Sendable func checkSource(_ customer: Customer, _ tenant: String, _ db: Database) throws {
        guard let source = customer.sourceId else { return }
        guard try Card.filter(Card.idColumn == source && Card.visible(to: tenant)).fetchCount(db) > 0 else {
            throw ServiceError.notFound("Card \(source)")
        }
        try db.execute(
            sql: "UPDATE card SET customer_id = ?, tenant_id = ? WHERE id = ? AND customer_id IS NULL",
            arguments: [customer.id, tenant, source])
    }
}
