import Foundation
import HarnessContracts
import HarnessCore
import Logging

/// What a service is given by whoever runs it: its peers, its storage, its clock, its logger.
///
/// Tests drive time through `clock` instead of sleeping. Its readings are whole microseconds, the
/// precision timestamps are stored and shown with, so a resource reads back exactly as it was created.
public struct ServiceEnvironment: Sendable {
    public var transport: any Transport
    public var database: DatabaseLocation
    public var clock: @Sendable () -> Date
    public var logger: Logger
    /// Sees what this service's clients read from its peers; the harness sets one, a served service has none.
    public var readObserver: (any ReadObserver)?
    /// How the service waits: the real clock when served, the stack's clock in memory (no wall time).
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    /// Where a served service keeps its files (its keys) beside its database; nil in memory.
    public var dataDirectory: URL?

    public init(
        transport: any Transport, database: DatabaseLocation = .inMemory,
        clock: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "harness")
    ) {
        self.transport = transport
        self.database = database
        self.clock = { Date(microsecondsSince1970: clock().microsecondsSince1970) }
        self.logger = logger
    }

    /// This service's way to call its peers.
    public func peers(as caller: ServiceName) -> ServiceClient {
        ServiceClient(caller: caller, transport: transport, readObserver: readObserver)
    }
}
