/// A place in a JSON document: object keys and array indices.
///
/// One type for every place that walks JSON — drift diagnosis (`cards[0].brand`), JSON Patch
/// (`/cards/0/brand`, RFC 6901), form bodies with bracket keys, request errors from a `Decodable`'s
/// coding path, contracts' field paths (`debits[].amount`) — so a field is named the same way wherever
/// it is reported, and read back by one parser.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
        /// Every element of an array (`[]`): how a contract names a field its consumer reads in each
        /// element. Reading it reads the first element, which stands for all of them.
        case element
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// The path of a `Decodable`'s coding path (array elements arrive as `Index N` keys).
    public init(codingPath: [any CodingKey]) {
        components = codingPath.map { key in
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") { .index(index) } else { .key(key.stringValue) }
        }
    }

    /// A path as `description` writes it: `cards[0].brand`, `debits[].amount`.
    public init(_ text: String) {
        var components: [Component] = []
        for part in text.split(separator: ".") {
            let key = part.prefix { $0 != "[" }
            if !key.isEmpty { components.append(.key(String(key))) }
            var rest = part.dropFirst(key.count)
            while rest.first == "[", let close = rest.firstIndex(of: "]") {
                components.append(Int(rest.dropFirst().prefix { $0 != "]" }).map(Component.index) ?? .element)
                rest = rest[rest.index(after: close)...]
            }
        }
        self.init(components)
    }

    /// An RFC 6901 JSON Pointer (`/a/b~1c/0`); every token is a key, read as an index where it meets an array.
    /// Read by code points, as RFC 6901 says: a `/` followed by a combining mark is still a separator,
    /// though Swift's `Character` would fold the two into one.
    public init?(pointer: String) {
        guard !pointer.isEmpty else {
            self.init()
            return
        }
        let scalars = pointer.unicodeScalars
        guard scalars.first == "/" else { return nil }
        self.init(
            scalars.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
                .key(String(String.UnicodeScalarView(token)).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~"))
            })
    }

    public func appending(_ component: Component) -> JSONPath { JSONPath(components + [component]) }
    public var parent: JSONPath { JSONPath(Array(components.dropLast())) }
    public var last: Component? { components.last }

    /// `cards[0].brand`, as diagnoses and request errors name a field.
    public var description: String {
        components.reduce(into: "") { text, component in
            switch component {
            case .index(let index): text += "[\(index)]"
            case .element: text += "[]"
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            }
        }
    }

    /// `/cards/0/brand`; an element is the first one.
    public var pointer: String {
        components.map { component in
            switch component {
            case .index(let index): "/\(index)"
            case .element: "/0"
            case .key(let key): "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }
        }.joined()
    }
}

/// A path that leads nowhere in a document.
public struct JSONPathNotFound: Error, CustomStringConvertible {
    public var path: JSONPath
    public init(path: JSONPath) { self.path = path }
    public var description: String { "\(path.pointer) does not exist" }
}

extension JSON {
    /// The value at `path`, or nil where the path leads nowhere.
    public subscript(path: JSONPath) -> JSON? {
        path.components.reduce(Optional(self)) { node, component in node?.child(component) }
    }

    func child(_ component: JSONPath.Component) -> JSON? {
        switch (self, component) {
        case (.object(let object), .key(let key)): return object[key]
        case (.array(let array), _):
            // `JSON` reads a bare `nil` as JSON null, so "absent" is spelled out.
            guard let index = Self.index(component), array.indices.contains(index) else { return Optional<JSON>.none }
            return array[index]
        default: return Optional<JSON>.none
        }
    }

    /// Changes the value at `path` in place: `change` gets it (nil where absent) and may replace it, or
    /// set nil to remove it. Every component but the last must exist, unless `creating`, which makes
    /// missing ones empty objects.
    public mutating func update(
        at path: JSONPath, creating: Bool = false,
        _ change: (inout JSON?) throws -> Void
    ) throws {
        try update(path.components[...], whole: path, creating: creating, change)
    }

    private mutating func update(
        _ rest: ArraySlice<JSONPath.Component>, whole: JSONPath, creating: Bool,
        _ change: (inout JSON?) throws -> Void
    ) throws {
        guard let component = rest.first else {
            var value: JSON? = self
            try change(&value)
            self = value ?? .null
            return
        }
        let deeper = rest.dropFirst()
        switch self {
        case .object(var object):
            guard case .key(let key) = component else { throw JSONPathNotFound(path: whole) }
            if deeper.isEmpty {
                var value = object[key]
                try change(&value)
                object[key] = value
            } else {
                let existing: JSON? = object[key] ?? (creating ? JSON.object([:]) : nil)
                guard var node = existing else { throw JSONPathNotFound(path: whole) }
                try node.update(deeper, whole: whole, creating: creating, change)
                object[key] = node
            }
            self = .object(object)
        case .array(var array):
            guard let index = Self.index(component), array.indices.contains(index) else { throw JSONPathNotFound(path: whole) }
            if deeper.isEmpty {
                var value: JSON? = array[index]
                try change(&value)
                if let value { array[index] = value } else { array.remove(at: index) }
            } else {
                try array[index].update(deeper, whole: whole, creating: creating, change)
            }
            self = .array(array)
        default:
            guard creating else { throw JSONPathNotFound(path: whole) }
            self = [:]
            try update(rest, whole: whole, creating: creating, change)
        }
    }

    static func index(_ component: JSONPath.Component) -> Int? {
        switch component {
        case .index(let index): index
        case .element: 0
        case .key(let key): Int(key)
        }
    }
}
