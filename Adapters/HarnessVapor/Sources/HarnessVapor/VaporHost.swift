import AsyncHTTPClient
import HTTPTypes
import Harness
import Synchronization
import Vapor

/// One Vapor app's life in a stack: made and booted on first use, listening when the stack is served,
/// and shut down once when the stack goes.
final class VaporHost: Sendable {
    struct Running: Sendable {
        let app: Application
        /// The router and middleware chain, built once: `app.responder.current` builds a new one each time.
        let responder: any Vapor.Responder
        /// The port the app listens on when the stack is served; nil in memory.
        let port: Int?
    }

    enum State {
        case idle
        case starting(Task<Running, any Error>)
        case stopping
    }

    let name: ServiceName
    let environment: StackEnvironment
    let consumes: [PeerRoute]
    let listed: [HarnessContracts.Route]
    let setUp: @Sendable (Application) async throws -> Void
    let state = Mutex(State.idle)
    /// The answers of its peers its `Content` types may decode, each under the token its response carries.
    let readings = Readings()

    init(
        name: ServiceName, environment: StackEnvironment, consumes: [PeerRoute], listed: [HarnessContracts.Route],
        setUp: @escaping @Sendable (Application) async throws -> Void
    ) {
        self.name = name
        self.environment = environment
        self.consumes = consumes
        self.listed = listed
        self.setUp = setUp
    }

    /// The app, booted (and listening, over sockets) by the first caller; every other caller waits for it.
    func running() async throws -> Running {
        let task = try state.withLock { state -> Task<Running, any Error> in
            switch state {
            case .starting(let task): return task
            case .stopping: throw HarnessError("\(name) was shut down with its stack")
            case .idle:
                let task = Task { try await boot() }
                state = .starting(task)
                return task
            }
        }
        return try await task.value
    }

    private func boot() async throws -> Running {
        let app = try await Application.make(.testing)
        app.logger = environment.logger
        // The calls a handler makes run under the span of the request it answers (`Request.serviceContext`,
        // set by the host), so the call tree links them to it, in memory and over sockets.
        app.traceAutoPropagation = true
        if environment.overSockets { app.middleware.use(TraceParent(), at: .beginning) }
        app.clients.use { app in StackVaporClient(host: self, eventLoop: app.eventLoopGroup.any()) }
        do {
            try await setUp(app)
            ReadingDecoder.install()
            let served = Set(app.routes.all.map(\.template))
            if let unlisted = served.subtracting(listed).min(by: { $0.description < $1.description }) {
                throw HarnessError(
                    "\(name) serves \(unlisted), which its routes collection does not register: register every route in the collection given to VaporService"
                )
            }
            try await app.asyncBoot()
            var port: Int?
            if environment.overSockets {
                try await app.http.server.shared.start(address: .hostname("127.0.0.1", port: 0))
                port = app.http.server.shared.localAddress?.port
            }
            return Running(app: app, responder: app.responder.current, port: port)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Shuts the app down if it was made (once; later requests are refused).
    func shutDown() async {
        let task = state.withLock { state -> Task<Running, any Error>? in
            defer { state = .stopping }
            if case .starting(let task) = state { return task }
            return nil
        }
        guard let task, let running = try? await task.value else { return }
        if running.port != nil { await running.app.http.server.shared.shutdown() }
        try? await running.app.asyncShutdown()
        readings.removeAll()
    }
}
