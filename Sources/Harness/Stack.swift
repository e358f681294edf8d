import AsyncHTTPClient
import Foundation
import GRDB
import HTTPTypes
import HarnessContracts
import HarnessCore
import Logging
import Synchronization

/// A whole world for one test: every service of a system, fresh, migrated, isolated.
///
/// In memory a stack costs about as much as its empty SQLite databases, so every test gets its own
/// and tests run in parallel with no shared state. Aimed at staging, a stack is only a set of clients
/// for the deployed services; in-process features (hops, databases, the clock) then throw.
///
/// ```swift
/// try await withStack(system, contracts: .directory(contractsPath)) { stack in
///     let reply = try await stack.client("payments").post("/debits", ["amount": 500, "source": card])
/// }
/// ```
public final class Stack: Sendable {
    public let mode: StackMode
    public let system: SystemUnderTest
    public let configuration: HarnessConfiguration
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
        /// The key the stack's services sign and verify their calls with.
        let identity: ServiceIdentity
        let faults: FaultInjector
        let documents: DocumentCheck
        let services: [ServiceName: any StackService]
        var logs: LogCapture?
        let contracts: ContractRecorder
        /// Each service's ``StackService/background`` work, for the stack's lifetime; nil when none has any.
        let background: Task<Void, Never>?
    }

    /// An in-memory stack's transport, emptied when the stack goes so its services can go too.
    let memory: InMemoryTransport?

    init(
        mode: StackMode, system: SystemUnderTest, configuration: HarnessConfiguration, transport: any Transport, inProcess: InProcess?,
        server: StackServer?, outsideClient: HTTPClient? = nil, memory: InMemoryTransport? = nil
    ) {
        self.memory = memory
        self.mode = mode
        self.system = system
        self.configuration = configuration
        self.transport = transport
        self.inProcess = inProcess
        self.server = server
        self.outsideClient = outsideClient
    }

    /// Boots a stack of `system` in the given mode.
    /// - Parameters:
    ///   - system: the services to boot.
    ///   - mode: in memory, over loopback HTTP, or clients of a deployed stack at a staging URL; by default
    ///     what `HARNESS_TRANSPORT` and `HARNESS_STAGING_URL` say.
    ///   - clock: the clock the services read; a test moves it instead of waiting.
    ///   - logs: where the services' log lines go, to read them back; quiet when nil.
    ///   - configuration: what the run says: the contracts the consumers' reads are checked against or
    ///     recorded for (a directory that cannot be read fails the boot), peers, fault seed, log level.
    public static func boot(
        _ system: SystemUnderTest, _ mode: StackMode = .inMemory, clock: StackClock = StackClock(),
        logs: LogCapture? = nil, configuration: HarnessConfiguration
    ) async throws -> Stack {
        switch mode {
        case .inMemory:
            return try inMemory(system, clock: clock, logs: logs, configuration: configuration)
        case .loopback:
            let http = HTTPTransport()
            let identity = ServiceIdentity.random(now: { clock.now })
            let (_, inProcess, services) = try assemble(
                system, over: http, identity: identity, clock: clock, logs: logs,
                configuration: configuration, virtualTime: false)
            let server = try await StackServer.start(
                services, logger: logs?.logger() ?? configuration.logger, spans: configuration.checks.contains(.tracing))
            http.baseURL = "http://127.0.0.1:\(server.port)"
            let outsideClient = HTTPClient.makeUntraced()
            let outsideHTTP = HTTPTransport(baseURL: http.baseURL, client: outsideClient)
            let checks = configuration.checks
            let outside = traced(
                outsideHTTP, checks.contains(.hops) ? inProcess.hops : nil, documents: checks.contains(.documents) ? inProcess.documents : nil,
                tracing: checks.contains(.tracing))
            return Stack(
                mode: mode, system: system, configuration: configuration, transport: outside, inProcess: inProcess,
                server: server, outsideClient: outsideClient)
        case .staging(let url):
            let transport = HTTPTransport(baseURL: url, peers: configuration.peers)
            return Stack(mode: mode, system: system, configuration: configuration, transport: traced(transport), inProcess: nil, server: nil)
        }
    }

    /// Boots an in-memory stack; synchronous, because nothing in it waits.
    public static func inMemory(
        _ system: SystemUnderTest, clock: StackClock = StackClock(), logs: LogCapture? = nil,
        configuration: HarnessConfiguration
    ) throws -> Stack {
        let identity = ServiceIdentity.random(now: { clock.now })
        let memory = InMemoryTransport(logger: logs?.logger() ?? configuration.logger, spans: configuration.checks.contains(.tracing))
        let (transport, inProcess, services) = try assemble(
            system, over: memory, identity: identity, clock: clock, logs: logs,
            configuration: configuration, virtualTime: true)
        let recording = inProcess.contracts.recordingFile != nil
        services.forEach { memory.register(recording ? StatementScoped(base: $0) : $0) }
        return Stack(
            mode: .inMemory, system: system, configuration: configuration, transport: transport, inProcess: inProcess,
            server: nil, memory: memory)
    }

    /// `inMemory` with nothing but the contracts to check: no run around it to report to.
    public static func inMemory(
        _ system: SystemUnderTest, clock: StackClock = StackClock(), logs: LogCapture? = nil,
        contracts: StackContracts
    ) throws -> Stack {
        try inMemory(system, clock: clock, logs: logs, configuration: HarnessConfiguration(contracts: contracts))
    }

    /// What both in-process modes build alike: the services, each given the transport that carries its
    /// calls through the stack's middlewares. With `virtualTime`, waits and deadlines move the stack's
    /// clock instead of taking wall time.
    private static func assemble(
        _ system: SystemUnderTest, over base: any Transport, identity: ServiceIdentity, clock: StackClock,
        logs: LogCapture?, configuration: HarnessConfiguration, virtualTime: Bool
    )
        throws -> (transport: any Transport, inProcess: InProcess, services: [any StackService])
    {
        let recorder = try ContractRecorder(configuration.contracts)
        let logger = logs?.logger() ?? configuration.logger
        let hops = Hops()
        let sleep: @Sendable (Duration) async throws -> Void
        if virtualTime {
            sleep = { duration in clock.advance(by: duration.microseconds / 1_000_000) }
        } else {
            sleep = { duration in try await Task.sleep(for: duration) }
        }
        let faults = FaultInjector(seed: configuration.faultSeed, sleep: sleep)
        let documents = DocumentCheck()
        let checks = configuration.checks
        let transport = traced(
            base, checks.contains(.hops) ? hops : nil, faults: faults, signing: checks.contains(.signing) ? identity : nil,
            deadline: virtualTime ? VirtualDeadline(clock: clock) : nil, documents: checks.contains(.documents) ? documents : nil,
            tracing: checks.contains(.tracing))
        let copies = Mutex<[DocumentContract]>([])
        let services = try system.makeServices { name in
            var environment = StackEnvironment(
                name: name, transport: transport, clock: { clock.now }, sleep: sleep, logger: logger,
                identity: checks.contains(.signing) ? identity : nil, readObserver: checks.contains(.contracts) ? recorder : nil)
            environment.noteCopy = { copy in copies.withLock { $0.append(copy) } }
            environment.overSockets = !virtualTime
            return environment
        }
        // A consumer's copy of a provider's document that the provider's own has broken: drift before any call.
        let noted = copies.withLock { $0 }
        let published = noted.isEmpty ? [:] : services.documentsByName
        for copy in noted {
            guard let document = published[copy.provider] else { continue }
            copy.breakingChanges(in: document).forEach(recorder.drifted)
        }
        if checks.contains(.documents) { documents.check(services) }
        if recorder.recordingFile != nil {
            for service in services { if let database = service.database { try recorder.statements.watch(service.name, database) } }
        }
        let inProcess = InProcess(
            hops: hops, clock: clock, identity: identity, faults: faults, documents: documents,
            services: Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0) }), logs: logs, contracts: recorder,
            background: background(of: services, logger: logger))
        return (transport, inProcess, services)
    }

    /// Runs the services' background work in one task, if any has some: cancel it and wait for it to stop them.
    package static func background(of services: [any StackService], logger: Logger) -> Task<Void, Never>? {
        let work = services.compactMap { service in service.background.map { (service.name, $0) } }
        guard !work.isEmpty else { return nil }
        return Task {
            await withTaskGroup(of: Void.self) { group in
                for (name, run) in work {
                    group.addTask {
                        do { try await run() } catch { logger.error("\(name) stopped: \(error)") }
                    }
                }
            }
        }
    }

    deinit {
        inProcess?.background?.cancel()
        memory?.unregisterAll()
    }

    /// `base` with what every stack puts around its hops: a client span and trace context, then the
    /// hops' record and interceptors (which therefore see the `traceparent` the hop carries, and what a
    /// fault made of it), then the caller's deadline on the stack clock (in memory), then injected
    /// faults, then the caller's credential, signed last so it covers the request as sent, then the check
    /// of the answer against the provider's document, which sees what the provider really answered.
    public static func traced(
        _ base: any Transport, _ hops: Hops? = nil, faults: FaultInjector? = nil,
        signing identity: ServiceIdentity? = nil, deadline: VirtualDeadline? = nil,
        documents: (any TransportMiddleware)? = nil, tracing: Bool = true
    ) -> any Transport {
        let middlewares: [(any TransportMiddleware)?] = [
            tracing ? TracingTransportMiddleware() : nil, hops, deadline, faults,
            identity.map(ServiceSigning.init), documents,
        ]
        return MiddlewareTransport(base, middlewares: middlewares.compactMap { $0 })
    }

    /// Stops what the stack started: its services' background work, the loopback listener and client.
    public func shutdown() async throws {
        if let background = inProcess?.background ?? nil {
            background.cancel()
            await background.value
        }
        try await outsideClient?.shutdown()
        try await server?.stop()
    }

    /// A logger that says nothing below critical: for services a test hosts alone.
    public static let quietLogger: Logger = {
        var logger = Logger(label: "harness")
        logger.logLevel = .critical
        return logger
    }()
}

extension Stack {
    /// A client calling `service` from outside the stack.
    public func client(_ service: ServiceName) -> StackClient {
        StackClient(service: service, transport: transport)
    }

    /// A client calling an internal `service` from outside the stack with `caller`'s credential, as that
    /// service would: for tests that drive vault or fraud directly. Only a stack in this process has
    /// the key; its hops still show the call as coming from outside.
    public func client(_ service: ServiceName, as caller: ServiceName) throws -> StackClient {
        var client = client(service)
        client.signer = (caller, try requireInProcess("calling \(service) as \(caller)").identity)
        return client
    }

    /// The credential `caller` would present to `callee` for this request, now: for tests that craft
    /// calls (an expired one, a forged one).
    public func credential(from caller: ServiceName, to callee: ServiceName, for head: HTTPRequest) throws -> String {
        try requireInProcess("signing as \(caller)").identity.credential(from: caller, to: callee, for: head)
    }

    /// Makes hops into `callee` slow, fail or lie (`Fault`), chosen by caller, route, call number or
    /// probability. In memory, waits move the stack's clock instead of taking wall time.
    /// A rule that names a service the stack does not have, or a route its callee does not declare, is refused.
    public func inject(
        _ fault: Fault, into callee: ServiceName, from caller: ServiceName? = nil, route: String? = nil,
        nth: Int? = nil, probability: Double? = nil
    ) throws {
        let inProcess = try requireInProcess("injecting faults")
        var rule = FaultRule(fault, into: callee, from: caller, route: try route.map(Self.route), nth: nth, probability: probability)
        if let problem = rule.check(against: inProcess.services.mapValues(\.peerRoutes)) {
            throw HarnessError("fault rule \(rule): \(problem)")
        }
        inProcess.faults.add(rule)
    }

    /// A route as a test names one (`"POST /checks"`), read once; anything else is refused.
    static func route(_ text: String) throws -> Route {
        guard let route = Route(text) else { throw HarnessError("\"\(text)\" is not a method and a path, like \"POST /checks\"") }
        return route
    }

    /// The routes `callee` declares, for telling which of them a call is on.
    func declaredRoutes(of callee: ServiceName) throws -> [Route] {
        try requireInProcess("reading routes").services[callee]?.routes ?? []
    }

    /// Probabilistic faults draw from `seed` (one printed by an earlier run, to replay it).
    public func seedFaults(_ seed: UInt64) throws {
        try requireInProcess("seeding faults").faults.reseed(seed)
    }

    /// Every request the stack carried, each hop under the request that made it, the failing hop marked.
    public func callTree() throws -> CallTree {
        CallTree(exchanges: try exchanges(), spans: try spans())
    }

    /// Every fault injected so far, in order.
    public func injectedFaults() throws -> [InjectedFault] {
        try requireInProcess("reading injected faults").faults.injected
    }

    /// Hops into `callee` (from `caller`, if given) go through `handler` first: tap, rewrite, mock, fail.
    public func intercept(_ callee: ServiceName, from caller: ServiceName? = nil, _ handler: @escaping Hops.Handler) throws {
        try requireInProcess("intercepting hops").hops.intercept(callee, from: caller, handler)
    }

    /// Shows `watch` every request into `callee` (from `caller`, if given) and its answer, changing nothing.
    public func tap(
        _ callee: ServiceName, from caller: ServiceName? = nil,
        _ watch: @escaping @Sendable (ServiceRequest, ServiceResponse) -> Void
    ) throws {
        try requireInProcess("tapping hops").hops.tap(callee, from: caller, watch)
    }

    /// Every exchange the stack has carried, in completion order.
    public func exchanges() throws -> [Exchange] {
        try requireInProcess("reading exchanges").hops.exchanges
    }

    /// The finished spans of every trace this stack's hops carried: the server span of each request a
    /// service handled and the client span of each call, linked parent to child.
    public func spans() throws -> [FinishedSpan] {
        HarnessTracer.shared.spans(inTraces: Set(try exchanges().compactMap(\.trace)))
    }

    /// The stack's clock, to move time forward without sleeping.
    public func clock() throws -> StackClock {
        try requireInProcess("moving the clock").clock
    }

    /// A service's own database, for assertions on what it stored.
    public func database(_ service: ServiceName) throws -> any DatabaseWriter {
        guard let found = try requireInProcess("reading a service's database").services[service] else {
            throw HarnessError("this stack has no service named \(service); it has \(system.names.map(\.rawValue).joined(separator: ", "))")
        }
        guard let database = found.database else { throw HarnessError("\(service) gives the harness no database to read") }
        return database
    }

    /// How many answers the stack has checked against their service's OpenAPI document.
    public func validations() throws -> Int {
        try requireInProcess("counting validations").documents.validations
    }

    /// Every read the stack's consumers made of their providers' answers, as contracts.
    public func contracts() throws -> ContractBook {
        try requireInProcess("reading contracts").contracts.book
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

/// Runs `body` with a fresh stack of `system` and always shuts it down, then fails on what the stack
/// saw go wrong whatever `body` asserted: contract drift, and answers that differ from their service's
/// OpenAPI document. When `body` throws, the stack's call tree is printed first (in process), so a
/// failing test shows which hop went wrong; drift is told once for the run (`DriftSummary`) instead.
public func withStack<T>(
    _ system: SystemUnderTest, _ mode: StackMode = .inMemory, clock: StackClock = StackClock(),
    logs: LogCapture? = nil, configuration: HarnessConfiguration,
    _ body: (Stack) async throws -> T
) async throws -> T {
    let stack = try await Stack.boot(system, mode, clock: clock, logs: logs, configuration: configuration)
    let result: T
    do {
        result = try await body(stack)
    } catch {
        let drift = stack.finish()
        if drift.isEmpty, let tree = try? stack.callTree(), !tree.roots.isEmpty { print("\(error)\n\(tree)") }
        try? await stack.shutdown()
        throw error
    }
    let drift = stack.finish()
    try await stack.shutdown()
    if !drift.isEmpty {
        throw ContractDrift(drift: drift, origin: stack.inProcess?.contracts.origin ?? "", summarized: configuration.drifts != nil)
    }
    if let problems = stack.inProcess?.documents.problems, !problems.isEmpty {
        throw HarnessError("answers that differ from their service's OpenAPI document: " + problems.joined(separator: "; "))
    }
    return result
}

/// `withStack` with nothing but the contracts to check: no run around it to report to.
public func withStack<T>(
    _ system: SystemUnderTest, _ mode: StackMode = .inMemory, clock: StackClock = StackClock(),
    logs: LogCapture? = nil, contracts: StackContracts,
    _ body: (Stack) async throws -> T
) async throws -> T {
    try await withStack(system, mode, clock: clock, logs: logs, configuration: HarnessConfiguration(contracts: contracts), body)
}

extension Stack {
    /// What a stack leaves its run when it goes: its edges and recorded contracts appended to the run's
    /// files, its drift to the run's summary. Returns the drift.
    func finish() -> [Drift] {
        guard let inProcess else { return [] }
        recordEdges()
        if !inProcess.hops.isTampered, inProcess.faults.injected.isEmpty { inProcess.contracts.flush() }
        // A hop a fault was injected into carries what the fault made of the answer, not the provider's.
        let faulted = Set(inProcess.faults.injected.map { "\($0.caller?.rawValue ?? "client") → \($0.route.prefix { $0 != " " })" })
        let drift = inProcess.contracts.drift.filter { !faulted.contains("\($0.consumer) → \($0.provider)") }
        configuration.drifts?.record(drift)
        return drift
    }
}

/// A stack's consumers met drift: each test it broke fails with this, short when the run prints the
/// whole diagnosis once at its end (`DriftSummary`).
public struct ContractDrift: Error, CustomStringConvertible {
    public let drift: [Drift]
    /// Where the contracts checked came from.
    public let origin: String
    let summarized: Bool

    public var description: String {
        let distinct = Dictionary(drift.map { ($0.identity, $0) }) { first, _ in first }.values.sorted { $0.description < $1.description }
        guard summarized else {
            return "contract drift against \(origin): " + distinct.map(\.description).joined(separator: "; ")
        }
        return "contract drift (the run's drift summary, printed last, has the diagnosis): "
            + distinct.map { drift in
                "\(drift.consumer) → \(drift.provider) \(drift.route)\(drift.field.map { " `\($0)`" } ?? ""): \(drift.kind.summary)"
            }.joined(separator: "; ")
    }
}
