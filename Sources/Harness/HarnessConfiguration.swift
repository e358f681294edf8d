import HarnessContracts
import Logging

/// Everything a run tells the engine, as one value: the library reads no environment variable.
///
/// The edges of a run (the CLI, a test suite's support code) build it once, usually from their
/// process's environment with `init(environment:contracts:)`, and hand it to every stack they boot.
///
/// ```swift
/// static let suite = HarnessConfiguration(environment: ProcessInfo.processInfo.environment,
///                                         contracts: packageRoot + "/contracts")
/// try await withStack(system, mode, configuration: .suite) { stack in … }
/// ```
public struct HarnessConfiguration: Sendable {
    /// What each stack's consumers are checked against or recorded for.
    public var contracts: StackContracts
    /// The modes a suite runs each test in: staging alone when aimed at one, else in memory and loopback.
    public var modes: [StackMode] = [.inMemory, .loopback]
    /// Where the services a deployed stack calls outside itself are (the processor's sandbox).
    public var peers = Peers()
    /// The services' log level when a stack has no `LogCapture`.
    public var logLevel: Logger.Level = .critical
    /// The seed probabilistic faults draw from; nil draws one and prints it.
    public var faultSeed: UInt64?
    /// The file each stack appends its edges to when it goes (`harness coverage` collects a run this way).
    public var edgesFile: String?
    /// Where each stack reports the drift it met, to print once for the whole run.
    public var drifts: DriftSummary?
    /// What the stack checks and records on every hop: all of it, unless a benchmark turns some off to
    /// tell what each costs from what the services cost.
    public var checks = Checks.all

    public init(contracts: StackContracts, drifts: DriftSummary? = nil) {
        self.contracts = contracts
        self.drifts = drifts
    }

    /// The variables the CLI and CI set on a test run, read from `environment`:
    /// `HARNESS_STAGING_URL` (aim at a deployed stack), `HARNESS_TRANSPORT` (`in-memory` or `loopback`
    /// only), `HARNESS_PEERS`, `HARNESS_LOG_LEVEL`, `HARNESS_FAULT_SEED`, `HARNESS_EDGES_FILE`,
    /// `HARNESS_CONTRACTS_FILE` (record) and `HARNESS_CONTRACTS_DIR` (check another directory than
    /// `contracts`). A value that cannot be read throws, naming the variable.
    public init(environment: [String: String], contracts directory: String, drifts: DriftSummary? = nil) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        self.init(contracts: .forSuite(environment: environment, directory: directory), drifts: drifts)
        if let url = value("HARNESS_STAGING_URL") {
            modes = [.staging(url)]
        } else if let transport = value("HARNESS_TRANSPORT") {
            switch transport {
            case "in-memory": modes = [.inMemory]
            case "loopback": modes = [.loopback]
            default: throw HarnessError("HARNESS_TRANSPORT=\(transport): use in-memory or loopback")
            }
        }
        peers = try Peers(parsing: (value("HARNESS_PEERS") ?? "").split(separator: ",").map(String.init))
        if let level = value("HARNESS_LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level) else {
                throw HarnessError("HARNESS_LOG_LEVEL=\(level): use one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            logLevel = parsed
        }
        if let seed = value("HARNESS_FAULT_SEED") {
            guard let parsed = UInt64(seed) else { throw HarnessError("HARNESS_FAULT_SEED=\(seed): use a whole number a run printed") }
            faultSeed = parsed
        }
        edgesFile = value("HARNESS_EDGES_FILE")
    }

    /// The mode a single stack boots in: the first of `modes`.
    public var mode: StackMode { modes.first ?? .inMemory }

    /// These settings with other contracts: a test that learns contracts from one stack and checks another.
    public func with(contracts: StackContracts) -> HarnessConfiguration {
        var copy = self
        copy.contracts = contracts
        return copy
    }

    /// The services' logger when a stack has no `LogCapture`: quiet unless `logLevel` says otherwise.
    var logger: Logger {
        var logger = Logger(label: "harness")
        logger.logLevel = logLevel
        return logger
    }
}

/// What a stack does on every hop besides carrying it.
public struct Checks: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Every answer checked against its service's OpenAPI document.
    public static let documents = Checks(rawValue: 1 << 0)
    /// Every read a consumer makes recorded, and checked against the contracts.
    public static let contracts = Checks(rawValue: 1 << 1)
    /// Every exchange recorded, for call trees and edges; interceptors and taps.
    public static let hops = Checks(rawValue: 1 << 2)
    /// A client and a server span for every hop.
    public static let tracing = Checks(rawValue: 1 << 3)
    /// Every call between services signed, and verified by its callee; without it, internal services
    /// trust their callers.
    public static let signing = Checks(rawValue: 1 << 4)
    public static let all: Checks = [.documents, .contracts, .hops, .tracing, .signing]

    /// Each check alone, with its name: `documents`, `contracts`, `hops`, `tracing`, `signing`.
    public static let each: [(name: String, check: Checks)] = [
        ("documents", .documents), ("contracts", .contracts), ("hops", .hops), ("tracing", .tracing), ("signing", .signing),
    ]
}

extension HarnessConfiguration {
    /// A test process's configuration, from its environment: its stacks report drift to the process's
    /// one `DriftSummary`, printed after the last test (and written as JSON to `HARNESS_DRIFT_REPORT`,
    /// for `harness contracts verify` and CI). A variable that cannot be read stops the run, naming it.
    /// - Parameters:
    ///   - environment: the test process's environment (`ProcessInfo.processInfo.environment`).
    ///   - directory: the suite's checked-in contracts, found from its own source file.
    ///   - currentTest: names the running test (`Test.current` in Swift Testing).
    public static func testRun(
        environment: [String: String], contracts directory: String,
        currentTest: @escaping @Sendable () -> String?
    ) -> HarnessConfiguration {
        let drifts = DriftSummary.process(reportFile: environment["HARNESS_DRIFT_REPORT"], currentTest: currentTest)
        do {
            return try HarnessConfiguration(environment: environment, contracts: directory, drifts: drifts)
        } catch {
            fatalError("harness: \(error)")
        }
    }
}
