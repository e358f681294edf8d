import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The stack's services behind one HTTP listener on loopback, each under its name.
///
/// `harness serve` runs one until a signal; the loopback test mode and the benchmark start one on a
/// free port and stop it when done.
public final class StackServer: Sendable {
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// Starts listening and returns once the socket is bound, or throws if it cannot be.
    public static func start(
        _ services: [any StackService], host: String = "127.0.0.1", port: Int = 0,
        signals: [UnixSignal] = [], logger: Logger, testEndpoints: TestEndpoints = TestEndpoints(),
        outside: [any TransportMiddleware] = [], spans: Bool = true
    ) async throws -> StackServer {
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: Gateway(services, testEndpoints: testEndpoints, outside: outside, spans: spans),
            configuration: .init(address: .hostname(host, port: port), serverName: "harness"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? port)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: signals, logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        guard let actual = await bound.first(where: { _ in true }) else {
            do {
                try await task.value
            } catch {
                throw HarnessError("cannot listen on \(host):\(port): \(Self.reason(error))")
            }
            throw HarnessError("cannot listen on \(host):\(port): the server stopped before it started")
        }
        return StackServer(port: actual, group: group, task: task)
    }

    init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Waits until the server stops (a signal, or `stop()`).
    public func wait() async throws {
        try await task.value
    }

    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Why the socket could not be bound, as the system words it ("address already in use", "permission
    /// denied"), without the NIO function that met it.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? IOError else { return "\(error)" }
        return error.plainReason
    }
}
