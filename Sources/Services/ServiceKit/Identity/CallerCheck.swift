import HTTPTypes
import HarnessContracts
import HarnessCore
import Hummingbird

/// Refuses every call into an internal service that does not carry a valid credential of a caller the
/// route allows, before any handler runs; the tenant a handler sees (`X-Tenant`) is the credential's.
struct CallerCheck: RouterMiddleware {
    let service: ServiceName
    let routes: RouteTable<RouteAccess>
    let identity: ServiceIdentity

    init(service: ServiceName, routes: [RouteAccess], identity: ServiceIdentity) {
        self.service = service
        self.routes = RouteTable(routes, route: \.route)
        self.identity = identity
    }

    func handle(
        _ request: Request, context: ServiceRequestContext,
        next: (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if request.method == .get, path == "/health" || path == "/openapi.json" { return try await next(request, context) }
        let credential: ServiceCredential
        do {
            credential = try identity.verify(request.head, at: service)
        } catch {
            context.logger.warning("refused a call", metadata: ["route": "\(request.method) \(path)", "reason": "\(error.code)"])
            throw error
        }
        // A path no route declares is left to the router's 404, so a consumer of a moved route learns
        // the route is gone; every route a service has is declared (checked by the unit tests).
        if let entry = routes.match(request.method, path), !entry.callers.contains(credential.caller) {
            let route = entry.route.description
            context.logger.warning(
                "refused a call", metadata: ["route": "\(route)", "caller": "\(credential.caller)", "reason": "caller-not-allowed"])
            throw ServiceError(
                .forbidden, "caller-not-allowed", "\(credential.caller) may not call \(service) \(route).",
                categoryType: "permission", extras: ["caller": .string(credential.caller.rawValue), "route": .string(route)])
        }
        var head = request.head
        head.headerFields[.tenant] = credential.tenant
        return try await next(Request(head: head, body: request.body), context)
    }
}
