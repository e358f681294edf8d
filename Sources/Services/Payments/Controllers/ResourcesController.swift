import Hummingbird
import ServiceKit

/// `GET /resources/{id}`: any resource by id, as its own `GET` returns it.
struct ResourcesController {
    let api: API

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/resources/{id}") { request, context in
            let tenant = try await api.auth.tenant(request)
            let id = try context.parameters.require("id")
            switch String(id.prefix(2)) {
            case Card.idPrefix: return Response.json(try await api.charging.card(id, tenant: tenant).envelope)
            case Customer.idPrefix, "AC": return try await api.show(Customer.self, id, tenant: tenant)
            case CardHold.idPrefix: return try await api.show(CardHold.self, id, tenant: tenant)
            case Debit.idPrefix: return try await api.show(Debit.self, id, tenant: tenant)
            case Refund.idPrefix: return try await api.show(Refund.self, id, tenant: tenant)
            default: throw ServiceError.notFound("Resource \(id)")
            }
        }
    }
}
