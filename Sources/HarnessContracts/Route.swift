import HTTPTypes

/// A route as a service declares it: a method and a path template (`GET /cards/{id}`), read once.
///
/// The one route type and the one matcher: edges, documents, faults, pauses, access checks and Pact
/// all ask it which declared route a request is on, so they never disagree about it.
///
/// A template segment is a literal (`cards`), a parameter (`{id}`) or `*`, either of which matches any
/// one segment, or `**`, which matches the rest of the path.
///
/// **Precedence**: where several routes of one method match a path, the most specific one has it.
/// Templates are compared segment by segment, left to right, and the first segment that differs
/// decides: a literal beats a parameter or `*`, which beat `**`. So `GET /cards/new` has
/// `/cards/new` over `GET /cards/{id}`, and `/a/b/{x}` has `/a/b/c` over `/a/{y}/c`, whichever is
/// declared first. Declaration order only breaks a tie between equally specific templates.
public struct Route: Hashable, Sendable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    public let template: String
    let segments: [Segment]

    enum Segment: Hashable {
        case literal(String)
        /// `{name}`, or `*` with no name.
        case parameter(String?)
        /// `**`.
        case rest

        /// What precedence compares: higher is more specific.
        var rank: Int {
            switch self {
            case .literal: 2
            case .parameter: 1
            case .rest: 0
            }
        }
    }

    public init(_ method: HTTPRequest.Method, _ template: String) {
        self.method = method
        self.template = template
        segments = template.split(separator: "/").map { piece in
            if piece == "**" { return .rest }
            if piece == "*" { return .parameter(nil) }
            if piece.hasPrefix("{"), piece.hasSuffix("}") { return .parameter(String(piece.dropFirst().dropLast())) }
            return .literal(String(piece))
        }
    }

    /// `POST /checks`, as contracts, faults files and edges write a route; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, let method = HTTPRequest.Method(String(parts[0])), parts[1].hasPrefix("/") else { return nil }
        self.init(method, String(parts[1]))
    }

    public var description: String { "\(method) \(template)" }

    /// The names of the template's parameters, in order (`id` of `/cards/{id}`).
    public var parameterNames: [String] {
        segments.compactMap { segment -> String? in
            guard case .parameter(let name) = segment else { return nil }
            return name
        }
    }

    /// Whether a request `method path` (query ignored) fits this route, leaving precedence aside.
    public func matches(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        method == self.method && parameters(in: path) != nil
    }

    /// The value of each named parameter in a concrete path (query ignored), as sent; nil when the path
    /// does not fit the template.
    public func parameters(in path: String) -> [String: String]? {
        let actual = (path.split(separator: "?", maxSplits: 1).first ?? "").split(separator: "/")
        var values: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            if segment == .rest { return values }
            guard index < actual.count else { return nil }
            switch segment {
            case .literal(let literal): guard literal == actual[index] else { return nil }
            case .parameter(let name): if let name { values[name] = String(actual[index]) }
            case .rest: break
            }
        }
        return segments.count == actual.count ? values : nil
    }

    /// Whether this route takes precedence over `other` where both match (see the type's comment).
    public func isMoreSpecific(than other: Route) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) where mine.rank != theirs.rank {
            return mine.rank > theirs.rank
        }
        return segments.count > other.segments.count
    }

    /// Whether a request `method path` is on this route, among the `declared` routes of its service:
    /// it matches, and no more specific declared route does.
    public func claims(_ method: HTTPRequest.Method, _ path: String, among declared: [Route]) -> Bool {
        matches(method, path) && !declared.contains { $0.matches(method, path) && $0.isMoreSpecific(than: self) }
    }
}

extension Sequence {
    /// The element whose route a request `method path` is on: of those that match, the most specific;
    /// of equally specific ones, the first.
    public func route(for method: HTTPRequest.Method, _ path: String, by route: (Element) -> Route) -> Element? {
        var best: Element?
        for element in self where route(element).matches(method, path) {
            if let chosen = best, !route(element).isMoreSpecific(than: route(chosen)) { continue }
            best = element
        }
        return best
    }
}
