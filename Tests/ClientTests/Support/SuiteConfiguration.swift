import Foundation
import Harness
import Testing

extension HarnessConfiguration {
    /// This suite's run: the repository's `contracts/`, found from this file rather than the working
    /// directory (so they are checked however the suites run: `swift test` anywhere, Xcode), and what
    /// `harness` and CI say through the environment, read here once, at the edge.
    static let suite = HarnessConfiguration.testRun(
        environment: ProcessInfo.processInfo.environment,
        contracts: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("contracts").path,
        currentTest: { Test.current.map { "\($0.id)".split(separator: "/").dropLast().joined(separator: "/") } })
}
