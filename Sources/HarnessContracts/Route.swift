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
        method == self.method && fits(path)
    }

    /// Whether a concrete path (query ignored) fits the template: compared piece by piece in place, with
    /// no copy of the path, since every hop asks it of its service's routes.
    func fits(_ path: String) -> Bool {
        var pieces = PathPieces(path)
        for segment in segments {
            switch segment {
            case .rest: return true
            case .literal(let literal): guard let piece = pieces.next(), piece.elementsEqual(literal.utf8) else { return false }
            case .parameter: guard pieces.next() != nil else { return false }
            }
        }
        return pieces.next() == nil
    }

    /// The value of each named parameter in a concrete path (query ignored), as sent; nil when the path
    /// does not fit the template.
    public func parameters(in path: String) -> [String: String]? {
        guard fits(path) else { return nil }
        var pieces = PathPieces(path)
        var values: [String: String] = [:]
        for segment in segments {
            guard let piece = pieces.next() else { break }
            if case .parameter(let name?) = segment { values[name] = String(decoding: piece, as: UTF8.self) }
        }
        return values
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

/// Routes read once for telling which one a request is on, many times: by method and first literal
/// segment, most specific first, so the first that fits has it (the precedence of ``Route``). What every
/// hop's lookups use: the service's route for its server span, the document's for the answer's check,
/// an access rule.
public struct RouteTable<Element: Sendable>: Sendable {
    /// The elements, in the order given.
    public let elements: [Element]
    private let byMethod: [HTTPRequest.Method: Candidates]

    /// One method's routes: those whose first segment is a literal, by that literal, and the others. A
    /// literal first segment is more specific than any other, so those are tried first.
    private struct Candidates: Sendable {
        var byFirstLiteral: [String: [Entry]] = [:]
        var others: [Entry] = []
    }

    private struct Entry: Sendable {
        let route: Route
        let element: Element
    }

    public init(_ elements: some Sequence<Element>, route: (Element) -> Route) {
        self.elements = Array(elements)
        // Most specific first; equally specific routes keep their declaration order (a stable sort).
        let sorted = self.elements.enumerated().map { (offset: $0.offset, entry: Entry(route: route($0.element), element: $0.element)) }
            .sorted { a, b in
                if a.entry.route.isMoreSpecific(than: b.entry.route) { return true }
                if b.entry.route.isMoreSpecific(than: a.entry.route) { return false }
                return a.offset < b.offset
            }
        var byMethod: [HTTPRequest.Method: Candidates] = [:]
        for (_, entry) in sorted {
            if case .literal(let first)? = entry.route.segments.first {
                byMethod[entry.route.method, default: Candidates()].byFirstLiteral[first, default: []].append(entry)
            } else {
                byMethod[entry.route.method, default: Candidates()].others.append(entry)
            }
        }
        self.byMethod = byMethod
    }

    /// The element whose route `method path` is on, or nil.
    public func match(_ method: HTTPRequest.Method, _ path: String) -> Element? {
        guard let candidates = byMethod[method] else { return nil }
        var pieces = PathPieces(path)
        if let first = pieces.next(), let entries = candidates.byFirstLiteral[String(decoding: first, as: UTF8.self)] {
            for index in entries.indices where entries[index].route.fits(path) { return entries[index].element }
        }
        for index in candidates.others.indices where candidates.others[index].route.fits(path) { return candidates.others[index].element }
        return nil
    }
}

extension RouteTable where Element == Route {
    public init(_ routes: [Route]) { self.init(routes) { $0 } }
}

/// The pieces of a path between its slashes, empty ones skipped, up to its query: read in place.
struct PathPieces: IteratorProtocol {
    private let bytes: Substring.UTF8View
    private var index: Substring.UTF8View.Index

    init(_ path: String) {
        let withoutQuery = path.utf8.firstIndex(of: UInt8(ascii: "?")).map { path[..<$0] } ?? path[...]
        bytes = withoutQuery.utf8
        index = bytes.startIndex
    }

    mutating func next() -> Substring.UTF8View.SubSequence? {
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: "/") { bytes.formIndex(after: &index) }
        guard index < bytes.endIndex else { return nil }
        let start = index
        while index < bytes.endIndex, bytes[index] != UInt8(ascii: "/") { bytes.formIndex(after: &index) }
        return bytes[start..<index]
    }
}
