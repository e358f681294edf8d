/// A service's name in its system: how its peers address it and where a gateway serves it.
///
/// Names are open: a system registers whatever services it has, and each consumer names the providers
/// it calls in its own `Clients/`. The transport decides whether a name means a responder in the same
/// process, a base URL on loopback, or a deployed stack.
public struct ServiceName: RawRepresentable, Sendable, Hashable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static func < (lhs: ServiceName, rhs: ServiceName) -> Bool { lhs.rawValue < rhs.rawValue }
}
