import HTTPTypes
import HarnessCore

/// A route of another service that a consumer calls: the provider's name, the method and the route as
/// the provider declares it (`GET /cards/{id}`).
///
/// Each consumer declares the routes it calls in its own `Clients/` and lists them in
/// `ServiceApp.consumes`, so the harness can tell which of them the acceptance suites never exercise,
/// and a diagnosis names the route, not one concrete path.
public struct PeerRoute: Sendable, Hashable, CustomStringConvertible {
    public var provider: ServiceName
    public var route: Route
    /// How long the consumer waits for an answer before it gives up (the callee may still act on it).
    public var timeout: Duration
    /// How many times a call that got no answer, or a 502/503/504, is sent again: by default reads
    /// (`GET`) are retried twice and writes never, since a write without an idempotency key may act twice.
    public var retries: Int

    public init(
        _ provider: ServiceName, _ method: HTTPRequest.Method, _ template: String,
        timeout: Duration = .seconds(5), retries: Int? = nil
    ) {
        self.provider = provider
        self.route = Route(method, template)
        self.timeout = timeout
        self.retries = retries ?? (method == .get ? 2 : 0)
    }

    // A route is its provider, method and template; its timeout and retries are the consumer's policy.
    public static func == (a: PeerRoute, b: PeerRoute) -> Bool {
        (a.provider, a.route) == (b.provider, b.route)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(provider)
        hasher.combine(route)
    }

    public var method: HTTPRequest.Method { route.method }
    public var template: String { route.template }
    public var description: String { "\(provider) \(route)" }
}
