@preconcurrency import Crypto
import AsyncHTTPClient
import Dashboard
import Foundation
import Fraud
import GRDB
import Logging
import Payments
import ServiceKit
import Vault

/// A whole four-service world for one test: fresh, migrated, isolated.
///
/// In memory a stack costs about as much as four empty SQLite databases, so every test gets its own
/// and tests run in parallel with no shared state. Aimed at staging, a stack is only a set of clients
/// for the deployed services; in-process features (hops, databases, the clock) then throw.
///
/// ```swift
/// try await withStack { stack in
///     let reply = try await stack.payments.post("/debits", ["amount": 500, "source": card])
/// }
/// ```
public final class Stack: Sendable {
    public let mode: StackMode
    let transport: any Transport
    let inProcess: InProcess?
    let server: StackServer?
    /// The loopback stack's own client for calls from outside: its connections never compete with the
    /// services' calls to each other, which would deadlock a burst of concurrent requests.
    let outsideClient: HTTPClient?

    /// What only a stack in this process has.
    struct InProcess: Sendable {
        let hops: Hops
        let clock: StackClock
        let services: [ServiceName: any ServiceApp]
        var logs: LogCapture?
    }

    init(mode: StackMode, transport: any Transport, inProcess: InProcess?, server: StackServer?, outsideClient: HTTPClient? = nil) {
        self.mode = mode
        self.transport = transport
        self.inProcess = inProcess
        self.server = server
        self.outsideClient = outsideClient
    }

    /// Boots a stack in the given mode.
    /// - Parameter logs: where the services' log lines go, to read them back; quiet when nil.
    public static func boot(_ mode: StackMode = .fromEnvironment, clock: StackClock = StackClock(),
                            logs: LogCapture? = nil) async throws -> Stack {
        let logger = logs?.logger() ?? quietLogger
        switch mode {
        case .inMemory:
            return try inMemory(clock: clock, logs: logs)
        case .loopback:
            let http = HTTPTransport()
            let hops = Hops()
            let transport = MiddlewareTransport(http, middlewares: [hops])
            let environment = ServiceEnvironment(transport: transport, clock: { clock.now }, logger: logger)
            let services = try makeServices { _ in environment }
            let server = try await StackServer.start(services, logger: logger)
            http.baseURL = "http://127.0.0.1:\(server.port)"
            let outsideClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            let outside = MiddlewareTransport(HTTPTransport(baseURL: http.baseURL, client: outsideClient), middlewares: [hops])
            return Stack(mode: mode, transport: outside, inProcess: InProcess(hops: hops, clock: clock, services: index(services), logs: logs),
                         server: server, outsideClient: outsideClient)
        case .staging(let url):
            return Stack(mode: mode, transport: HTTPTransport(baseURL: url), inProcess: nil, server: nil)
        }
    }

    /// Boots an in-memory stack; synchronous, because nothing in it waits.
    public static func inMemory(clock: StackClock = StackClock(), logs: LogCapture? = nil) throws -> Stack {
        let logger = logs?.logger() ?? quietLogger
        let memory = InMemoryTransport(logger: logger)
        let hops = Hops()
        let transport = MiddlewareTransport(memory, middlewares: [hops])
        let environment = ServiceEnvironment(transport: transport, clock: { clock.now }, logger: logger)
        let services = try makeServices { _ in environment }
        services.forEach { memory.register($0) }
        return Stack(mode: .inMemory, transport: transport,
                     inProcess: InProcess(hops: hops, clock: clock, services: index(services), logs: logs), server: nil)
    }

    /// The four services, each in the environment given for it; vault gets a fresh key unless given one.
    public static func makeServices(vaultKey: SymmetricKey = SymmetricKey(size: .bits256),
                                    _ environment: (ServiceName) -> ServiceEnvironment) throws -> [any ServiceApp] {
        [
            try PaymentsService(environment: environment(.payments)),
            try FraudService(environment: environment(.fraud)),
            try VaultService(environment: environment(.vault), key: vaultKey),
            try DashboardService(environment: environment(.dashboard)),
        ]
    }

    static func index(_ services: [any ServiceApp]) -> [ServiceName: any ServiceApp] {
        Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0) })
    }

    /// Stops what the stack started (the loopback listener and client); nothing to do in memory or at staging.
    public func shutdown() async throws {
        try await outsideClient?.shutdown()
        try await server?.stop()
    }

    public static let quietLogger: Logger = {
        var logger = Logger(label: "harness")
        logger.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["HARNESS_LOG_LEVEL"] ?? "") ?? .critical
        return logger
    }()
}

extension Stack {
    /// A client calling `service` from outside the stack.
    public func client(_ service: ServiceName) -> StackClient {
        StackClient(service: service, client: ServiceClient(caller: nil, transport: transport))
    }

    public var payments: StackClient { client(.payments) }
    public var fraud: StackClient { client(.fraud) }
    public var vault: StackClient { client(.vault) }
    public var dashboard: StackClient { client(.dashboard) }

    /// Hops into `callee` (from `caller`, if given) go through `handler` first: tap, rewrite, mock, fail.
    public func intercept(_ callee: ServiceName, from caller: ServiceName? = nil, _ handler: @escaping Hops.Handler) throws {
        try requireInProcess("intercepting hops").hops.intercept(callee, from: caller, handler)
    }

    /// Every exchange the stack has carried, in completion order.
    public func exchanges() throws -> [Exchange] {
        try requireInProcess("reading exchanges").hops.exchanges
    }

    /// The stack's clock, to move time forward without sleeping.
    public func clock() throws -> StackClock {
        try requireInProcess("moving the clock").clock
    }

    /// A service's own database, for assertions on what it stored.
    public func database(_ service: ServiceName) throws -> any DatabaseWriter {
        try requireInProcess("reading a service's database").services[service]!.database
    }

    /// Every line the services logged, when the stack was booted with a `LogCapture`.
    public func logLines() throws -> [String] {
        guard let logs = try requireInProcess("reading logs").logs else {
            throw HarnessError("this stack was booted without a LogCapture; pass `logs: LogCapture()` to boot or withStack")
        }
        return logs.all
    }

    func requireInProcess(_ feature: String) throws -> InProcess {
        guard let inProcess else {
            throw HarnessError("\(feature) needs a stack in this process; this one is \(mode). Skip the test at staging.")
        }
        return inProcess
    }
}

/// Runs `body` with a fresh stack and always shuts it down.
public func withStack<T>(_ mode: StackMode = .fromEnvironment, clock: StackClock = StackClock(), logs: LogCapture? = nil,
                         _ body: (Stack) async throws -> T) async throws -> T {
    let stack = try await Stack.boot(mode, clock: clock, logs: logs)
    do {
        let result = try await body(stack)
        try await stack.shutdown()
        return result
    } catch {
        try? await stack.shutdown()
        throw error
    }
}
