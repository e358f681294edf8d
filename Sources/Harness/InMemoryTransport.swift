import HarnessCore
import Logging
import Synchronization

/// Delivers a request straight into the callee's ``StackService/respond(to:)``: no socket, no port, real bytes.
///
/// The request body goes in as the bytes the caller encoded and the response comes back as the bytes
/// the callee wrote, with their `Content-Length`, exactly as over HTTP.
public final class InMemoryTransport: Transport {
    private let services = Mutex<[ServiceName: Hosted]>([:])
    /// Where an error that escaped a service is logged, and what services hosted on it log with.
    public let logger: Logger
    let spans: Bool

    /// - Parameters:
    ///   - logger: where an error that escaped a service is logged.
    ///   - spans: whether each request a service answers gets a server span; off only in a stack
    ///     without tracing.
    public init(logger: Logger, spans: Bool = true) {
        self.logger = logger
        self.spans = spans
    }

    public func register(_ service: any StackService) {
        services.withLock { $0[service.name] = Hosted(service, spans: spans) }
    }

    /// Lets go of every service. Services hold this transport to call each other, so until then a
    /// stack's services and its transport keep each other alive.
    public func unregisterAll() {
        services.withLock { $0 = [:] }
    }

    public func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        guard let service = services.withLock({ $0[request.callee] }) else {
            throw HarnessError("no service named \(request.callee) is registered with this in-memory transport")
        }
        do {
            return try await service.answer(request)
        } catch {
            logger.error("unhandled error escaped \(request.callee)", metadata: ["error": "\(error)"])
            return .problem(.internalServerError, "\(request.callee) failed to answer \(request.route): \(error)")
        }
    }
}
