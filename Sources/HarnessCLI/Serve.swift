import ArgumentParser
@preconcurrency import Crypto
import Foundation
import Harness
import Logging
import NIOCore
import PaymentsSystem
import ServiceKit

/// `harness serve`: the whole stack on loopback, real HTTP between services, SQLite files on disk.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the stack under one base URL (/payments, /fraud, /vault, /dashboard, and the processor's sandbox at /processor unless --peer places it elsewhere).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Directory for the services' SQLite files, vault's key and the services' signing key.")
    var dataDir = "harness-data"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "Test mode: check what consumers read against these contract files and report it at GET /_harness/contracts.")
    var checkContracts: String?

    @Flag(help: "Test mode: set up the data a Pact interaction assumes at POST /_harness/provider-states (for `harness contracts export --pact`).")
    var providerStates = false

    @Option(help: "Test mode: inject the faults this JSON file describes into the services' calls to each other (see README, Faults).")
    var faults: String?

    @Option(name: .customLong("peer"),
            help: "NAME=URL: a service that runs elsewhere, reached at URL/NAME/… instead of in this process (e.g. processor=http://127.0.0.1:9100 for `harness partner-sandbox`). Repeatable.")
    var peers: [String] = []

    /// What every listening command checks of its `--port` and `--log-level`.
    static func validate(port: Int, logLevel: String) throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func validate() throws {
        try Self.validate(port: port, logLevel: logLevel)
        do {
            let names = try Peers(parsing: peers).urls.keys
            let known = SystemUnderTest.payments.names
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw ValidationError("--peer \(unknown): the stack has no such service; it has \(known.map(\.rawValue).joined(separator: ", "))")
            }
        } catch let error as HarnessError {
            throw ValidationError("--peer: \(error.description)")
        }
    }

    /// Logs to standard error at `level` (already validated).
    static func bootstrapLogging(_ level: String) -> Logger {
        let level = Logger.Level(rawValue: level)!
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "harness")
    }

    func run() async throws {
        let logger = Self.bootstrapLogging(logLevel)
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true).standardizedFileURL
        let keys = DataKeys(directory: directory)
        let key = try keys.vaultKey()
        let identity = try keys.serviceIdentity()
        let injector = try faults.map(Self.faultInjector)

        HarnessTracer.install()
        let peers = try Peers(parsing: self.peers)
        let http = HTTPTransport(baseURL: "http://\(host):\(port)", peers: peers)
        let transport = Stack.traced(http, faults: injector, signing: identity)
        let system = SystemUnderTest.payments(vaultKey: key).excluding(peers.urls.keys)
        let contracts = try checkContracts.map { ContractRecorder(expected: try ContractBook.load(from: $0)) }
        let services = try system.makeServices { service in
            var environment = ServiceEnvironment(transport: transport, database: .file(directory.appendingPathComponent("\(service).sqlite").path),
                                                 logger: logger)
            environment.readObserver = contracts
            return environment
        }
        let testMode = TestMode(contracts: contracts,
                                providerStates: providerStates ? ProviderStates(system.providerStates, transport: transport) : nil)
        // Peers first: a stack whose peer does not answer never starts serving.
        for (service, url) in peers.urls.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if let problem = await Self.health(of: service, at: "\(url)/\(service)", through: http) {
                throw HarnessError("startup check failed: \(problem)")
            }
        }
        let server = try await StackServer.start(services, identity: identity, host: host, port: port, signals: [.sigterm, .sigint],
                                                 logger: logger, testMode: testMode)
        let base = "http://\(host):\(server.port)"
        http.baseURL = base

        for service in system.names {
            if let problem = await Self.health(of: service, at: "\(base)/\(service)", through: http) {
                try await server.stop()
                throw HarnessError("startup check failed: \(problem)")
            }
        }
        let names = system.names.map(\.rawValue).joined(separator: ",")
        logger.info("serving \(names)", metadata: ["url": "\(base)", "data": "\(directory.path)"])
        let elsewhere = peers.urls.sorted { $0.key.rawValue < $1.key.rawValue }.map { " \($0.key) at \($0.value)/\($0.key)" }.joined(separator: ",")
        print("harness: serving \(base)/{\(names)} (data in \(directory.path))\(elsewhere.isEmpty ? "" : ";" + elsewhere); Ctrl-C stops")
        fflush(nil)
        try await server.wait()
        logger.info("stopped")
    }

    /// Why `service` at `url` is not healthy, or nil when its `/health` answers 200.
    static func health(of service: ServiceName, at url: String, through http: HTTPTransport) async -> String? {
        do {
            let reply = try await ServiceClient(caller: nil, transport: http).send(service, .get, "/health", timeout: .seconds(5))
            return reply.status == .ok ? nil : "\(service) at \(url) /health answered \(reply.status.code): \(reply.bodyText.prefix(200))"
        } catch {
            return "\(service) at \(url) does not answer: \(error)"
        }
    }

    static func faultInjector(_ path: String) throws -> FaultInjector {
        guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError("cannot read the faults file \(path)") }
        let json: JSON
        do { json = try JSON(parsing: ByteBuffer(bytes: data)) } catch { throw HarnessError("\(path) is not JSON: \(error)") }
        do {
            let (rules, seed) = try FaultInjector.rules(fromFile: json)
            return FaultInjector(rules: rules, seed: seed) { try await Task.sleep(for: $0) }
        } catch let error as HarnessError {
            throw HarnessError("\(path): \(error.description)")
        }
    }
}
