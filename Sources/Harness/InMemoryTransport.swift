import Hummingbird
import Logging
import ServiceKit
import Synchronization

/// Delivers a request straight into the callee's responder: no socket, no port, real bytes.
///
/// The request body goes in as the bytes the caller encoded and the response comes back as the bytes
/// the callee wrote, with their `Content-Length`, exactly as over HTTP. An error that escapes a
/// responder is rendered as the service would render it (a 500 with the request's id).
///
/// A service's router is built the first time the service is called: building routers was most of a
/// stack's boot, and many tests never call some of the services.
public final class InMemoryTransport: Transport {
    private let services = Mutex<[ServiceName: any ServiceApp]>([:])
    private let responders = Mutex<[ServiceName: RouterResponder<ServiceRequestContext>]>([:])
    let logger: Logger
    let identity: ServiceIdentity?

    /// - Parameters:
    ///   - logger: the logger each request's context carries, and where an error that escaped a service is logged.
    ///   - identity: what internal services verify their callers with; nil only for a
    ///     service's own unit tests, where the caller is the test.
    public init(logger: Logger, identity: ServiceIdentity? = nil) {
        self.logger = logger
        self.identity = identity
    }

    public func register(_ service: some ServiceApp) {
        services.withLock { $0[service.name] = service }
    }

    /// Lets go of every service. Services hold this transport to call each other, so until then a
    /// stack's services and its transport keep each other alive.
    public func unregisterAll() {
        services.withLock { $0 = [:] }
        responders.withLock { $0 = [:] }
    }

    func responder(_ name: ServiceName) -> RouterResponder<ServiceRequestContext>? {
        if let built = responders.withLock({ $0[name] }) { return built }
        guard let service = services.withLock({ $0[name] }) else { return nil }
        let built = service.responder(identity: identity)
        return responders.withLock { responders in
            if let first = responders[name] { return first }
            responders[name] = built
            return built
        }
    }

    public func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        guard let responder = responder(request.callee) else {
            throw HarnessError("no service named \(request.callee) is registered with this in-memory transport")
        }
        let context = ServiceRequestContext(logger: logger)
        let response: Response
        do {
            response = try await responder.respond(to: Request(head: request.head, body: RequestBody(buffer: request.body)), context: context)
        } catch {
            logger.error("unhandled error escaped \(request.callee)", metadata: ["error": "\(error)"])
            response = Reply(error: error, requestID: context.id, service: request.callee).response
        }
        return try await ServiceResponse(response)
    }
}

extension ServiceResponse {
    /// Collects a Hummingbird response's body, as a client at the other end of a socket would.
    init(_ response: Response) async throws {
        let collector = BodyCollector()
        try await response.body.write(collector)
        self.init(head: response.head, body: collector.buffer)
    }
}

private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ chunk: ByteBuffer) async throws {
        buffer.writeImmutableBuffer(chunk)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
