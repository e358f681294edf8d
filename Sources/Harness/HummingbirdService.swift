import GRDB
import HarnessContracts
import HarnessCore
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import ServiceLifecycle
import Synchronization

/// A Hummingbird app as a stack runs it, as the team wrote it: its own request context, its own storage.
///
/// In memory a request goes straight into the app's responder as real bytes, as Hummingbird's own
/// router test framework sends it, and no socket is opened; a served stack's gateway calls the same
/// responder. The app's routes come from its `Router` (Hummingbird's template splits `buildRouter()`
/// from `buildApplication`, so hand the router over too).
///
/// ```swift
/// let router = buildRouter(storage: storage)
/// let orders = HummingbirdService("orders", router: router, logger: environment.logger)
/// ```
public struct HummingbirdService<Responder: HTTPResponder>: StackService
where Responder.Context: RequestContext & InitializableFromSource<ApplicationRequestContextSource> {
    public let name: ServiceName
    public var routes: [Route]
    public var consumes: [PeerRoute] = []
    public var access: ServiceAccess = .publicAPI
    public var document: APIDocument?
    public var database: (any DatabaseWriter)?
    let responder: Prepared<Responder>
    let services: [any Service]
    let logger: Logger
    /// What a request context reads its channel from: no socket, only addresses nobody asks for.
    let channel = NIOAsyncTestingChannel()

    /// A responder (a router's, or one of the team's own) with the routes it serves.
    public init(_ name: ServiceName, responder: Responder, routes: [Route] = [], logger: Logger) {
        self.name = name
        self.routes = routes
        self.responder = Prepared { responder }
        self.services = []
        self.logger = logger
    }

    /// A router's responder, with the router's routes.
    public init<Context>(_ name: ServiceName, router: Router<Context>, logger: Logger) where Responder == RouterResponder<Context> {
        self.init(name, responder: router.buildResponder(), routes: router.routes.map { Route($0.method, "\($0.path)") }, logger: logger)
    }

    /// A whole app: its responder, its `services` (run for the stack's lifetime) and what it runs before
    /// its server starts (run before its first request); its routes read from `router`, the router it was
    /// built with.
    public init<App: ApplicationProtocol, Context>(_ name: ServiceName, app: App, router: Router<Context>)
    where App.Responder == Responder {
        self.name = name
        self.routes = router.routes.map { Route($0.method, "\($0.path)") }
        let processes = app.processesRunBeforeServerStart
        self.responder = Prepared {
            for process in processes { try await process() }
            return try await app.responder
        }
        self.services = app.services
        self.logger = app.logger
    }

    public func respond(to request: ServiceRequest) async throws -> ServiceResponse {
        let responder = try await responder.value()
        let context = Responder.Context(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        let response: Response
        do {
            response = try await responder.respond(to: Request(head: request.head, body: RequestBody(buffer: request.body)), context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: Request(head: request.head, body: RequestBody(buffer: ByteBuffer())), context: context)
        } catch {
            logger.error("unhandled error escaped \(name)", metadata: ["error": "\(error)"])
            return .problem(.internalServerError, "\(name) failed to answer \(request.route): \(error)")
        }
        return try await ServiceResponse(response)
    }

    public var background: (@Sendable () async throws -> Void)? {
        guard !services.isEmpty else { return nil }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        return {
            try await withTaskCancellationHandler {
                try await group.run()
            } onCancel: {
                Task { await group.triggerGracefulShutdown() }
            }
        }
    }
}

/// A value made once, on first use, by async work (an app's `responder`, after its before-start processes).
final class Prepared<Value: Sendable>: Sendable {
    private let make: @Sendable () async throws -> Value
    private let made = Mutex<Value?>(nil)

    init(_ make: @escaping @Sendable () async throws -> Value) { self.make = make }

    func value() async throws -> Value {
        if let value = made.withLock({ $0 }) { return value }
        let value = try await make()
        return made.withLock { made in
            if let first = made { return first }
            made = value
            return value
        }
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
