import Hummingbird
import ServiceKit

/// `GET /resources/{id}`: any resource by id, as its own `GET` returns it.
struct ResourcesController {
    let api: API

    func addRoutes(to router: Router<ServiceContext>) {
        router.get("/resources/{id}") { request, context in
            let tenant = try await api.auth.tenant(request)
            let id = try context.parameters.require("id")
            switch id.prefix(2) {
            case "CC": return Response.json(try await api.card(id, tenant: tenant).envelope)
            case "CU", "AC": return try await api.show(Customer.self, id, tenant: tenant)
            case "HL": return try await api.show(CardHold.self, id, tenant: tenant)
            case "WD": return try await api.show(Debit.self, id, tenant: tenant)
            case "RF": return try await api.show(Refund.self, id, tenant: tenant)
            default: throw ServiceError.notFound("Resource \(id)")
            }
        }
    }
}
