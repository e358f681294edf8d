import ArgumentParser
import Foundation
import HTTPTypes
import Harness
import Logging
import NIOCore

/// `serve`: the whole stack on loopback, real HTTP between services, their data on disk.
package struct Serve: AsyncParsableCommand {
    package static var configuration: CommandConfiguration {
        let names = HarnessTool.current.system.names.map { "/\($0)" }.joined(separator: ", ")
        return CommandConfiguration(abstract: "Serve the stack under one base URL (\(names)), each service there unless --peer places it elsewhere.")
    }

    package init() {}

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Directory for the services' data (their SQLite files, their keys) and the key they sign their calls with.")
    var dataDir = "harness-data"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "Test mode: check what consumers read against these contract files and report it at GET /_harness/contracts.")
    var checkContracts: String?

    @Flag(help: "Test mode: set up the data a Pact interaction assumes at POST /_harness/provider-states (for `contracts export --pact`).")
    var providerStates = false

    @Option(
        help:
            "Test mode: inject the faults this JSON file describes into the calls the services get, from each other and from outside (see Faults in the Harness documentation, Sources/Harness/Harness.docc)."
    )
    var faults: String?

    @Option(
        name: .customLong("peer"),
        help:
            "NAME=URL: a service that runs elsewhere, reached at URL/NAME/… instead of in this process (e.g. processor=http://127.0.0.1:9100). Repeatable."
    )
    var peers: [String] = []

    @Option(help: "A peers file: NAME=URL per line, blank lines and # comments allowed (what a deploy writes for its processes).")
    var peersFile: String?

    @Option(
        help:
            "Run this one service alone; the services it calls are reached at their --peer or --peers-file addresses. Several processes of one service may share its --data-dir."
    )
    var service: String?

    /// What every listening command checks of its `--port` and `--log-level`. Numeric options are parsed
    /// `.unconditional`ly, so `--port -1` reaches this check instead of reading as a missing value.
    package static func validate(port: Int, logLevel: String) throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    package func validate() throws {
        try Self.validate(port: port, logLevel: logLevel)
        let known = HarnessTool.current.system.names
        let list = known.map(\.rawValue).joined(separator: ", ")
        if let service, !known.contains(ServiceName(service)) {
            throw ValidationError("--service \(service): the stack has no such service; it has \(list)")
        }
        do {
            let names = try Peers(parsing: peers).urls.keys
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw ValidationError("--peer \(unknown): the stack has no such service; it has \(list)")
            }
        } catch let error as HarnessError {
            throw ValidationError("--peer: \(error.description)")
        }
    }

    /// The services this process runs, and where it reaches the others.
    func layout() throws -> (names: [ServiceName], peers: Peers) {
        var peers = try Peers(parsing: self.peers)
        if let peersFile { peers = try peers.merging(Peers(contentsOf: peersFile)) }
        let all = HarnessTool.current.system.names
        let known = Set(all)
        if let unknown = peers.urls.keys.first(where: { !known.contains($0) }) {
            throw HarnessError("peer \(unknown): the stack has no such service; it has \(all.map(\.rawValue).joined(separator: ", "))")
        }
        guard let service else { return (all.filter { peers.urls[$0] == nil }, peers) }
        return ([ServiceName(service)], peers.removing([ServiceName(service)]))
    }

    /// Logs to standard error at `level` (already validated).
    package static func bootstrapLogging(_ level: String) -> Logger {
        let level = Logger.Level(rawValue: level)!
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "harness")
    }

    package func run() async throws {
        // What the command line names is checked before anything is written to the data directory.
        let (names, peers) = try layout()
        let injector = try faults.map(Self.faultInjector)
        let contracts = try checkContracts.map { directory in
            do {
                return ContractRecorder(expected: try Contracts.load(directory))
            } catch let error as HarnessError {
                throw HarnessError("--check-contracts \(directory): \(error.description), or serve without --check-contracts")
            }
        }
        let logger = Self.bootstrapLogging(logLevel)
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true).standardizedFileURL
        let identity = try DataKeys(directory: directory).serviceIdentity()

        let http = HTTPTransport(baseURL: "http://\(host):\(port)", peers: peers)
        let transport = Stack.traced(http, faults: injector, signing: identity)
        let system = HarnessTool.current.system.excluding(HarnessTool.current.system.names.filter { !names.contains($0) })
        let services: [any StackService]
        do {
            services = try system.makeServices { service in
                var environment = StackEnvironment(
                    name: service, transport: transport, logger: logger, identity: identity, readObserver: contracts,
                    dataDirectory: directory)
                environment.overSockets = true
                return environment
            }
        } catch {
            // A database of another build, a key that does not open its data: one line, no serving.
            throw HarnessError("startup check failed: \(error)")
        }
        let unreachable = Set(services.flatMap { $0.consumes.map(\.provider) }).subtracting(names).subtracting(peers.urls.keys)
        if let missing = unreachable.min(by: { $0.rawValue < $1.rawValue }) {
            throw HarnessError(
                "\(services.first { $0.consumes.contains { $0.provider == missing } }!.name) calls \(missing), which runs "
                    + "neither in this process nor at a --peer or --peers-file address")
        }
        let testEndpoints = TestEndpoints(
            contracts: contracts,
            providerStates: providerStates ? ProviderStates(system.providerStates, transport: transport) : nil)
        // The peers it calls first: a stack whose peer does not answer never starts serving.
        let called = Set(services.flatMap { $0.consumes.map(\.provider) })
        for (service, url) in peers.urls.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where called.contains(service) {
            if let problem = await Self.health(of: service, at: "\(url)/\(service)", through: http) {
                throw HarnessError("startup check failed: \(problem)")
            }
        }
        // What the services run beside their requests (a Vapor app's server, a Hummingbird app's services),
        // stopped when serving stops, however it stops.
        let background = Stack.background(of: services, logger: logger)
        defer { background?.cancel() }
        let server = try await StackServer.start(
            services, host: host, port: port, signals: [.sigterm, .sigint],
            logger: logger, testEndpoints: testEndpoints, outside: injector.map { [$0] } ?? [])
        let base = "http://\(host):\(server.port)"
        http.baseURL = base

        for service in system.names {
            if let problem = await Self.health(of: service, at: "\(base)/\(service)", through: http) {
                try await server.stop()
                background?.cancel()
                await background?.value
                throw HarnessError("startup check failed: \(problem)")
            }
        }
        let served = system.names.map(\.rawValue).joined(separator: ",")
        logger.info("serving \(served)", metadata: ["url": "\(base)", "data": "\(directory.path)"])
        let elsewhere = peers.urls.sorted { $0.key.rawValue < $1.key.rawValue }.map { " \($0.key) at \($0.value)/\($0.key)" }.joined(separator: ",")
        print(
            "\(HarnessTool.current.name): serving \(base)/{\(served)} (data in \(directory.path))\(elsewhere.isEmpty ? "" : ";" + elsewhere); Ctrl-C stops"
        )
        fflush(nil)
        try await server.wait()
        background?.cancel()
        await background?.value
        logger.info("stopped")
    }

    /// Why `service` at `url` is not healthy, or nil when its `/health` answers 200.
    package static func health(of service: ServiceName, at url: String, through http: HTTPTransport, timeout: Duration = .seconds(5)) async -> String?
    {
        do {
            let head = HTTPRequest(method: .get, scheme: "http", authority: service.rawValue, path: "/health")
            var request = ServiceRequest(caller: nil, callee: service, head: head, body: nil)
            request.timeout = timeout
            let reply = try await http.send(request)
            return reply.status == .ok ? nil : "\(service) at \(url) /health answered \(reply.status.code): \(reply.bodyText.prefix(200))"
        } catch {
            return "\(service) at \(url) does not answer: \((error as? HopFailure)?.reason ?? "\(error)")"
        }
    }

    /// The faults file's rules, each checked against the routes the system's services declare, wherever
    /// they run: a rule naming a service or route that is not there is refused, not left to hit nothing.
    static func faultInjector(_ path: String) throws -> FaultInjector {
        guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError("cannot read the faults file \(path)") }
        let json: JSON
        do { json = try JSON(parsing: ByteBuffer(bytes: data)) } catch { throw HarnessError("\(path) is not JSON: \(error)") }
        do {
            let (rules, seed) = try FaultInjector.rules(fromFile: json)
            let routes = try SystemCatalog(HarnessTool.current.system).routes
            let checked = try rules.enumerated().map { index, rule in
                var rule = rule
                if let problem = rule.check(against: routes) { throw HarnessError("rule \(index + 1): \(problem)") }
                return rule
            }
            return FaultInjector(rules: checked, seed: seed) { try await Task.sleep(for: $0) }
        } catch let error as HarnessError {
            throw HarnessError("\(path): \(error.description)")
        }
    }
}
