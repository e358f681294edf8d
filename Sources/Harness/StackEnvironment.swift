import Foundation
import HarnessContracts
import HarnessCore
import Logging

/// What a stack gives each service it builds: the way to its peers, the time, a logger, and the keys.
///
/// A service's factory (``SystemUnderTest``) turns it into whatever the service's own configuration is:
/// the transport becomes its clients' way out, the clock and sleep its time, so a test moves the
/// stack's clock instead of waiting.
public struct StackEnvironment: Sendable {
    /// The service being built.
    public var name: ServiceName
    /// Every call through it is a hop of the stack: traced, recorded, checked, signed, faultable.
    public var transport: any Transport
    /// Now, as the services read it: the stack's clock in memory, the wall clock when served.
    public var clock: @Sendable () -> Date
    /// How the service waits: the stack's clock in memory (no wall time), the real one when served.
    public var sleep: @Sendable (Duration) async throws -> Void
    public var logger: Logger
    /// The key calls between the stack's services are signed and verified with; nil where the caller
    /// is trusted (a service alone in its own unit tests).
    public var identity: ServiceIdentity?
    /// Sees what the service's clients read of their providers' answers; nil when nothing is recorded.
    public var readObserver: (any ReadObserver)?
    /// Where a served service keeps its files; nil in memory, where storage goes with the stack.
    public var dataDirectory: URL?
    /// Whether the stack's hops go over sockets (loopback, `harness serve`): a service whose framework
    /// can listen for real does, and is called there; in memory, nothing opens a socket.
    public var overSockets = false
    /// Tells the stack of a consumer's copy of a provider's document, to compare with the provider's own.
    var noteCopy: (@Sendable (DocumentContract) -> Void)?

    public init(
        name: ServiceName, transport: any Transport, clock: @escaping @Sendable () -> Date = Date.init,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Stack.quietLogger, identity: ServiceIdentity? = nil, readObserver: (any ReadObserver)? = nil,
        dataDirectory: URL? = nil
    ) {
        self.name = name
        self.transport = transport
        self.clock = clock
        self.sleep = sleep
        self.logger = logger
        self.identity = identity
        self.readObserver = readObserver
        self.dataDirectory = dataDirectory
    }
}

extension StackEnvironment {
    /// The transport for this service's generated client of `provider`: its calls are hops of the
    /// stack, and with `copy` (the provider's document the client is generated from) every answer is
    /// checked against it, and the stack compares it with the provider's own document when it boots.
    public func clientTransport(to provider: ServiceName, copy: APIDocument? = nil) -> StackClientTransport {
        if let copy { noteCopy?(DocumentContract(consumer: name, provider: provider, copy: copy)) }
        return StackClientTransport(provider, as: name, transport: transport, copy: copy, readObserver: readObserver)
    }
}
