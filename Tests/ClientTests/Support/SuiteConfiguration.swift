import Foundation
import Harness
import PaymentsSystem
import Testing

extension HarnessConfiguration {
    /// This suite's run: the repository's contracts, and what `harness` and CI say through the
    /// environment, read here once, at the edge.
    static let suite = testRun(
        environment: ProcessInfo.processInfo.environment, contracts: StackContracts.repositoryDirectory,
        currentTest: { Test.current.map { "\($0.id)".split(separator: "/").dropLast().joined(separator: "/") } })
}
