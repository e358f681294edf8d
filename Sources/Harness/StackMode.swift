import Foundation

/// Where a stack's services run and how calls reach them.
public enum StackMode: Sendable, Equatable, CustomStringConvertible {
    /// One process, no sockets: calls go straight into each service's responder.
    case inMemory
    /// One process, a real HTTP listener on 127.0.0.1 and real HTTP between the services.
    case loopback
    /// A deployed stack (`harness serve` or a staging host) at this base URL.
    case staging(String)

    /// `HARNESS_STAGING_URL` aims at a deployed stack; `HARNESS_TRANSPORT=loopback` serves each stack
    /// on loopback; otherwise in memory.
    public static var fromEnvironment: StackMode {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["HARNESS_STAGING_URL"], !url.isEmpty { return .staging(url) }
        if environment["HARNESS_TRANSPORT"] == "loopback" { return .loopback }
        return .inMemory
    }

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
