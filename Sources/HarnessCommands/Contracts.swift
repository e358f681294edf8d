import ArgumentParser
import Foundation
import Harness
import NIOCore

/// `contracts`: what each consumer reads from each provider, recorded from the acceptance run.
struct Contracts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the fields each consumer reads from each provider, and check the acceptance run against them.",
        subcommands: [Record.self, Verify.self, WhoReads.self, Unread.self, Export.self, CanIDeploy.self])

    struct Options: ParsableArguments {
        @Option(help: "Directory of the contract files.")
        var directory = "contracts"

        @Option(help: "The package whose tests run the suites.")
        var packagePath = "."

        @Option(help: "Build directory of the tests, in the package.")
        var scratchPath = ".build"

        @Option(help: "The acceptance suites, a regular expression of test ids (by default the tool's own).")
        var suites: String?

        var acceptance: String { suites ?? HarnessTool.current.acceptanceSuites }

        @Flag(help: "Run the tests as they are built (by `swift build --build-tests`, with whatever flags), without building them.")
        var skipBuild = false

        var tests: TestBinary.Location { TestBinary.Location(package: packagePath, scratchPath: scratchPath) }

        /// The package's test binary, built first unless `--skip-build`.
        func binary() throws -> TestBinary { try TestBinary(tests, build: !skipBuild) }
    }

    /// The contract files of `directory`, or one line saying why there are none and how to record them.
    static func load(_ directory: String) throws -> ContractBook {
        do {
            return try ContractBook.load(from: directory)
        } catch let error as HarnessError {
            throw HarnessError("\(error.description); record them with `\(HarnessTool.current.name) contracts record --directory \(directory)`")
        }
    }

    /// Builds the tests and runs the acceptance suites in memory, with `environment` added.
    static func runAcceptance(_ options: Options, environment: [String: String]) throws -> Toolchain.Result {
        try acceptance(options, environment: environment.merging(["HARNESS_TRANSPORT": "in-memory"]) { a, _ in a })
    }

    /// Runs the acceptance suites as they are, refusing a `--suites` that matches no test.
    static func acceptance(_ options: Options, environment: [String: String]) throws -> Toolchain.Result {
        let result = try options.binary().run(options.acceptance, environment: environment)
        guard !result.errors.contains("Test run with 0 tests") else {
            throw HarnessError("no test of \(options.packagePath) matches the acceptance suites \(options.acceptance); name them with --suites")
        }
        return result
    }

    /// Runs the acceptance suites in memory and returns what their consumers read, with an example of each
    /// call, and the statements each service's database ran.
    static func record(_ options: Options) throws -> (book: ContractBook, statements: StatementCatalogue) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("harness-contracts-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try Contracts.runAcceptance(options, environment: [StackContracts.recordingFileVariable: file])
        guard result.status == 0 else {
            throw HarnessError("the acceptance suites failed, so nothing was recorded: \(result.failures)")
        }
        let book = try ContractRecorder.read(file)
        guard !book.contracts.isEmpty else { throw HarnessError("the acceptance run recorded no reads") }
        return (book, try StatementCatalogue.read(recording: file))
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the acceptance suites and write one contract file per consumer–provider pair.")

        @OptionGroup var options: Options

        func run() async throws {
            let (book, statements) = try Contracts.record(options)
            let written = try book.write(to: options.directory)
            for contract in book.contracts {
                let fields = contract.interactions.map(\.fields.count).reduce(0, +)
                print("\(options.directory)/\(contract.fileName): \(contract.interactions.count) routes, \(fields) fields read")
            }
            let files = try statements.write(to: "\(options.directory)/statements")
            for (service, sql) in statements.statements.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                print("\(options.directory)/statements/\(service).sql: \(sql.count) statements")
            }
            print("wrote \(written.count) contracts and \(files.count) statement files")
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run the acceptance suites and fail on any drift from the contract files: in memory, or against a stack served with --check-contracts."
        )

        @OptionGroup var options: Options

        @Option(help: "A stack served with `serve --check-contracts DIRECTORY`: run the suites against it and read its drift.")
        var url: String?

        func run() async throws {
            let book = try Contracts.load(options.directory)
            if let url { return try await verify(against: url, book) }
            let directory = URL(fileURLWithPath: options.directory).standardizedFileURL.path
            let report = FileManager.default.temporaryDirectory.appendingPathComponent("harness-drift-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: report) }
            let result = try Contracts.runAcceptance(
                options,
                environment: [
                    StackContracts.directoryVariable: directory,
                    "HARNESS_DRIFT_REPORT": report,
                ])
            let drift =
                (try? String(contentsOfFile: report, encoding: .utf8))
                .flatMap { try? JSON(parsing: ByteBuffer(string: $0)) }.map(DriftSummary.entries) ?? []
            if let summary = DriftSummary.render(drift) { print(summary) }
            guard result.status == 0, drift.isEmpty else {
                throw HarnessError("the acceptance run \(drift.isEmpty ? "failed" : "drifted from \(options.directory)"): \(result.failures)")
            }
            print("\(book.contracts.count) contracts hold: \(book.contracts.map(\.fileName).joined(separator: ", "))")
        }

        /// Runs the suites against a served stack, then asks it what its consumers read and how that drifted.
        func verify(against url: String, _ book: ContractBook) async throws {
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            let suites = try Contracts.acceptance(options, environment: ["HARNESS_STAGING_URL": base])
            let report = try Toolchain.run("/usr/bin/env", ["curl", "-sf", "\(base)/_harness/contracts"])
            guard report.status == 0, let json = try? JSON(parsing: ByteBuffer(string: report.output)) else {
                throw HarnessError("\(base)/_harness/contracts answered nothing: serve the stack with --check-contracts \(options.directory)")
            }
            let drift = (json["drift"].array ?? []).compactMap { Drift(json: $0) }
            let served = ContractBook((json["contracts"].array ?? []).compactMap { try? Contract(json: $0) })
            let exercised = book.contracts.flatMap { contract in
                contract.interactions.filter { $0.status < 400 }.map { "\(contract.consumer) → \(contract.provider) \($0.route) \($0.status)" }
            }.filter { key in
                served.contracts.contains { contract in
                    contract.interactions.contains { "\(contract.consumer) → \(contract.provider) \($0.route) \($0.status)" == key }
                }
            }
            if let summary = DriftSummary.render(drift.map { ($0, []) }) { print(summary) }
            guard suites.status == 0, drift.isEmpty else {
                throw HarnessError("against \(base): \(drift.count) drift findings; acceptance suites \(suites.status == 0 ? "passed" : "failed")")
            }
            print("against \(base): \(exercised.count) recorded interactions exercised, no drift from \(book.contracts.count) contracts")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the acceptance suites and write what each consumer reads as Pact V4 files, for Pact's own verifier.")

        @Option(help: "Directory to write one Pact file per consumer–provider pair into.")
        var pact: String

        @OptionGroup var options: Options

        func run() async throws {
            do {
                try FileManager.default.createDirectory(atPath: pact, withIntermediateDirectories: true)
            } catch {
                throw HarnessError("cannot create \(pact): \(error.localizedDescription)")
            }
            let book = try Contracts.record(options).book
            let states = HarnessTool.current.system.providerStates
            for contract in book.contracts {
                let path = "\(pact)/\(contract.fileName)"
                try (try contract.pact(states: states).pretty + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                let stated = contract.interactions.filter { interaction in
                    states.contains { $0.applies(to: contract.provider, interaction.route, status: interaction.status) }
                }.count
                print("\(path): \(contract.interactions.count) interactions, \(stated) with a provider state")
            }
            print("verify with Pact's verifier against `\(HarnessTool.current.name) serve --provider-states`, states at /_harness/provider-states")
        }
    }

    struct WhoReads: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "who-reads",
            abstract: "The consumers that read a provider's response field, where their view is declared, and the tests that exercise it.")

        @Argument(help: "The provider, e.g. fraud.") var provider: String
        @Argument(help: "The route as the provider declares it, e.g. 'POST /checks'.") var route: String
        @Argument(help: "The field's path, e.g. csc_check or debits[].amount.") var field: String
        @OptionGroup var options: Options

        func run() async throws {
            let book = try Contracts.load(options.directory)
            let readers = book.contracts.filter { $0.provider.rawValue == provider }.flatMap { contract in
                contract.interactions.filter { $0.route == route && $0.fields.contains { $0.path == field } }.map { (contract.consumer, $0) }
            }
            guard !readers.isEmpty else {
                let routes = Set(book.contracts.filter { $0.provider.rawValue == provider }.flatMap { $0.interactions.map(\.route) })
                throw HarnessError(
                    routes.isEmpty
                        ? "no consumer reads anything of \(provider) in \(options.directory)"
                        : "no consumer reads `\(field)` of \(provider) \(route); routes read: \(routes.sorted().joined(separator: ", "))")
            }
            let tests = try Contracts.testsReading(provider: provider, route: route, field: field, options: options)
            for (consumer, interaction) in readers {
                let read = interaction.fields.first { $0.path == field }!
                print("\(consumer) reads \(provider) \(route) `\(field)` (\(interaction.status)): \(read)")
                if let view = interaction.view, let location = Contracts.declaration(of: view, by: consumer, in: options.packagePath) {
                    print("  view: \(view) at \(location)")
                }
                let exercising = tests[consumer.rawValue] ?? []
                print("  exercised by \(exercising.count) acceptance tests\(exercising.isEmpty ? "" : ":")")
                exercising.forEach { print("    \($0)") }
            }
        }
    }

    struct Unread: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The response fields of a provider that no consumer reads: safe to change.")

        @Argument(help: "The provider, e.g. fraud.") var provider: String
        @OptionGroup var options: Options

        func run() async throws {
            let book = try Contracts.load(options.directory)
            let interactions = book.contracts.filter { $0.provider.rawValue == provider }.flatMap(\.interactions).filter { !$0.fields.isEmpty }
            guard !interactions.isEmpty else { throw HarnessError("no consumer reads anything of \(provider) in \(options.directory)") }
            for (route, group) in Dictionary(grouping: interactions, by: \.route).sorted(by: { $0.key < $1.key }) {
                let unread = group.map { Set($0.unreadFields) }.reduce(into: Set(group[0].unreadFields)) { $0.formIntersection($1) }
                print("\(provider) \(route): \(unread.isEmpty ? "every field is read" : unread.sorted().joined(separator: ", "))")
            }
        }
    }

    /// `struct FraudCheck` → `Sources/Services/Payments/Clients/FraudClient.swift:7`: looked for in the
    /// consumer's own folder of the package's `Sources` (`Sources/Orders`, `Sources/Services/Payments`),
    /// else in all of them.
    static func declaration(of type: String, by consumer: ServiceName, in package: String) -> String? {
        let sources = package == "." ? "Sources" : "\(package)/Sources"
        let files = (FileManager.default.enumerator(atPath: sources)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
        let own = files.filter { $0.lowercased().split(separator: "/").dropLast().contains(Substring(consumer.rawValue.lowercased())) }
        for file in own + files {
            let path = "\(sources)/\(file)"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("struct \(type):") || line.contains("struct \(type) ") {
                return "\(path):\(index + 1)"
            }
        }
        return nil
    }

    /// Runs each acceptance test alone, in memory, and returns per consumer the tests whose reads include the field.
    static func testsReading(provider: String, route: String, field: String, options: Options) throws -> [String: [String]] {
        let binary = try options.binary()
        var found: [String: [String]] = [:]
        for test in try binary.tests(matching: options.acceptance) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("harness-who-\(UUID().uuidString).jsonl").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            _ = try binary.runAlone(test, environment: [StackContracts.recordingFileVariable: file, "HARNESS_TRANSPORT": "in-memory"])
            for contract in try ContractRecorder.read(file).contracts where contract.provider.rawValue == provider {
                if contract.interactions.contains(where: { $0.route == route && $0.fields.contains { $0.path == field } }) {
                    found[contract.consumer.rawValue, default: []].append(String(test.drop { $0 != "." }.dropFirst()))  // without its module
                }
            }
        }
        return found
    }
}
