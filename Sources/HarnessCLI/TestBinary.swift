import Foundation
import Harness

/// The package's test binary, as `harness coverage` and `harness contracts` build and run it directly,
/// so each run can have its own environment (a profile file, a contracts file, one transport).
struct TestBinary {
    let path: String

    /// Builds the tests in `scratchPath`, instrumented for coverage if asked, unless `build` is false.
    init(scratchPath: String, coverage: Bool = false, build: Bool = true) throws {
        if build {
            let toolchain = try Toolchain()
            let arguments = ["build", "--build-tests", "--scratch-path", scratchPath] + (coverage ? ["--enable-code-coverage"] : [])
            let result = try Toolchain.run("\(toolchain.bin)/swift", arguments)
            guard result.status == 0 else {
                let errors = result.output.split(separator: "\n").filter { $0.contains("error") }.prefix(3)
                throw HarnessError("the test build in \(scratchPath) failed: \(errors.joined(separator: "; "))")
            }
        }
        path = "\(scratchPath)/debug/HarnessPackageTests.xctest"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("no test binary at \(path); build the tests first")
        }
    }

    /// Runs the tests whose ids match `filter` (a regular expression).
    func run(_ filter: String, environment: [String: String] = [:], arguments: [String] = []) throws -> Toolchain.Result {
        try Toolchain.run(path, ["--testing-library", "swift-testing", "--filter", filter] + arguments, environment: environment)
    }

    /// Runs one test, by its listed id; a test's id continues with its source location
    /// (`…/name(mode:)/File.swift:9:6`).
    func runAlone(_ test: String, environment: [String: String]) throws -> Toolchain.Result {
        try run("^" + NSRegularExpression.escapedPattern(for: test) + "(/|$)", environment: environment)
    }

    /// The ids of the acceptance tests (`Acceptance.PaymentFlowTests/…(mode:)`).
    func acceptanceTests() throws -> [String] {
        let listing = try Toolchain.run(path, ["--testing-library", "swift-testing", "--list-tests"])
        let tests = listing.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Acceptance.") }
        guard !tests.isEmpty else { throw HarnessError("the test binary \(path) lists no acceptance tests") }
        return tests
    }
}
