import ArgumentParser
import Foundation
import Harness
import ServiceKit

/// `harness contracts`: what each consumer reads from each provider, recorded from the acceptance run.
struct Contracts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the fields each consumer reads from each provider, and check the acceptance run against them.",
        subcommands: [Record.self, Verify.self])

    struct Options: ParsableArguments {
        @Option(help: "Directory of the contract files.")
        var directory = "contracts"

        @Option(help: "Build directory of the tests.")
        var scratchPath = ".build"
    }

    /// Builds the tests and runs the acceptance suites in memory, with `environment` added.
    static func runAcceptance(_ options: Options, environment: [String: String]) throws -> Toolchain.Result {
        let toolchain = try Toolchain()
        let build = try Toolchain.run("\(toolchain.bin)/swift", ["build", "--build-tests", "--scratch-path", options.scratchPath])
        guard build.status == 0 else { throw HarnessError("the test build failed: \(build.output.suffix(300))") }
        let binary = "\(options.scratchPath)/debug/HarnessPackageTests.xctest"
        return try Toolchain.run(binary, ["--testing-library", "swift-testing", "--filter", "^Acceptance\\."],
                                 environment: environment.merging(["HARNESS_TRANSPORT": "in-memory"]) { a, _ in a })
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the acceptance suites and write one contract file per consumer–provider pair.")

        @OptionGroup var options: Options

        func run() async throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("harness-contracts-\(UUID().uuidString).jsonl").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            let result = try Contracts.runAcceptance(options, environment: ["HARNESS_CONTRACTS_FILE": file])
            guard result.status == 0 else {
                throw HarnessError("the acceptance suites failed, so nothing was recorded: \(result.output.split(separator: "\n").last ?? "")")
            }
            let book = try ContractRecorder.read(file)
            guard !book.contracts.isEmpty else { throw HarnessError("the acceptance run recorded no reads") }
            let written = try book.write(to: options.directory)
            for contract in book.contracts {
                let fields = contract.interactions.map(\.fields.count).reduce(0, +)
                print("\(options.directory)/\(contract.fileName): \(contract.interactions.count) routes, \(fields) fields read")
            }
            print("wrote \(written.count) contracts")
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the acceptance suites in memory and fail on any drift from the contract files.")

        @OptionGroup var options: Options

        func run() async throws {
            let book = try ContractBook.load(from: options.directory)
            guard !book.contracts.isEmpty else { throw HarnessError("no contracts in \(options.directory); run `harness contracts record` first") }
            let directory = URL(fileURLWithPath: options.directory).standardizedFileURL.path
            let result = try Contracts.runAcceptance(options, environment: ["HARNESS_CONTRACTS_DIR": directory])
            let drift = result.output.split(separator: "\n").filter { $0.contains("contract drift") || $0.contains("cannot read the response") }
            guard result.status == 0 else {
                drift.prefix(20).forEach { print($0) }
                throw HarnessError("the acceptance run drifted from \(options.directory) (\(drift.count) findings) or failed")
            }
            print("\(book.contracts.count) contracts hold: \(book.contracts.map(\.fileName).joined(separator: ", "))")
        }
    }
}
