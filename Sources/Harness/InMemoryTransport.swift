import Hummingbird
import Logging
import ServiceKit
import Synchronization

/// Delivers a request straight into the callee's responder: no socket, no port, real bytes.
///
/// The request body goes in as the bytes the caller encoded and the response comes back as the bytes
/// the callee wrote, with their `Content-Length`, exactly as over HTTP. An error that escapes a
/// responder is rendered as the service would render it (a 500 with the request's id).
public final class InMemoryTransport: Transport {
    private let responders = Mutex<[ServiceName: RouterResponder<ServiceRequestContext>]>([:])
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func register(_ service: some ServiceApp) {
        let responder = service.responder()
        responders.withLock { $0[service.name] = responder }
    }

    /// Lets go of every service. Services hold this transport to call each other, so until then a
    /// stack's services and its transport keep each other alive.
    public func unregisterAll() {
        responders.withLock { $0 = [:] }
    }

    public func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        guard let responder = responders.withLock({ $0[request.callee] }) else {
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
