/// Where a stack's services run and how calls reach them.
public enum StackMode: Sendable, Equatable, CustomStringConvertible {
    /// One process, no sockets: calls go straight into each service's responder.
    case inMemory
    /// One process, a real HTTP listener on 127.0.0.1 and real HTTP between the services.
    case loopback
    /// A deployed stack (`harness serve` or a staging host) at this base URL.
    case staging(String)

    public var isStaging: Bool {
        if case .staging = self { true } else { false }
    }

    public var description: String {
        switch self {
        case .inMemory: "in-memory"
        case .loopback: "loopback"
        case .staging(let url): "staging at \(url)"
        }
    }
}
