import HTTPTypes

/// A route of another service that a consumer calls: the provider's name, the method and the route as
/// the provider declares it (`GET /cards/{id}`).
///
/// Each consumer declares the routes it calls in its own `Clients/` and lists them in
/// `ServiceApp.consumes`, so the harness can tell which of them the acceptance suites never exercise,
/// and a diagnosis names the route, not one concrete path.
public struct PeerRoute: Sendable, Hashable, CustomStringConvertible {
    public var provider: ServiceName
    public var method: HTTPRequest.Method
    public var template: String
    /// How long the consumer waits for an answer before it gives up (the callee may still act on it).
    public var timeout: Duration
    /// How many times a call that got no answer, or a 502/503/504, is sent again: by default reads
    /// (`GET`) are retried twice and writes never, since a write without an idempotency key may act twice.
    public var retries: Int

    public init(_ provider: ServiceName, _ method: HTTPRequest.Method, _ template: String,
                timeout: Duration = .seconds(5), retries: Int? = nil) {
        self.provider = provider
        self.method = method
        self.template = template
        self.timeout = timeout
        self.retries = retries ?? (method == .get ? 2 : 0)
    }

    // A route is its provider, method and template; its timeout and retries are the consumer's policy.
    public static func == (a: PeerRoute, b: PeerRoute) -> Bool {
        (a.provider, a.method, a.template) == (b.provider, b.method, b.template)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(provider)
        hasher.combine(method)
        hasher.combine(template)
    }

    /// `POST /checks`.
    public var route: String { "\(method) \(template)" }
    public var description: String { "\(provider) \(route)" }

    /// Whether a concrete path (query ignored) is this template: `{name}` matches one segment, `*` any one,
    /// `**` the rest.
    public func matches(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        method == self.method && Self.matches(template: template, path: path)
    }

    public static func matches(template: String, path: String) -> Bool {
        let pattern = template.split(separator: "/")
        let actual = (path.split(separator: "?", maxSplits: 1).first ?? "").split(separator: "/")
        for (index, piece) in pattern.enumerated() {
            if piece == "**" { return true }
            guard index < actual.count else { return false }
            if piece == "*" || (piece.hasPrefix("{") && piece.hasSuffix("}")) { continue }
            guard piece == actual[index] else { return false }
        }
        return pattern.count == actual.count
    }
}
