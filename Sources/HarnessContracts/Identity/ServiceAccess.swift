import HTTPTypes
import HarnessCore

/// Who may call a service: anyone (a public API that authenticates its own callers), or, route by
/// route, only the services named.
public enum ServiceAccess: Sendable {
    /// Reached from outside: it authenticates its callers itself (an API key).
    case publicAPI
    /// Reached only by the services each route names, with a verified credential. Every route the
    /// service has must be listed (a path none matches gets the router's 404). `GET /health` stays
    /// open, for load balancers, and `GET /openapi.json`, for whoever integrates.
    case internalOnly([RouteAccess])
}

/// One route of an internal service and the services that may call it.
public struct RouteAccess: Sendable {
    public var route: Route
    public var callers: Set<ServiceName>

    public init(_ method: HTTPRequest.Method, _ template: String, callers: ServiceName...) {
        route = Route(method, template)
        self.callers = Set(callers)
    }

    /// Whether this entry is about `route`, the same method and template.
    public func names(_ route: PeerRoute) -> Bool { self.route == route.route }
}
