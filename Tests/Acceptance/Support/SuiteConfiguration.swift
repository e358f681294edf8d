import BuildVersion
import Foundation
import Harness
import PaymentsSystem
import Testing

extension HarnessConfiguration {
    /// This suite's run: the repository's contracts, and what `harness` and CI say through the
    /// environment, read here once, at the edge.
    /// Against a deployed stack, the run says first which build of the suites it is: a release runs the
    /// suites of every version an environment runs, each built from its own commit.
    static let suite: HarnessConfiguration = {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["HARNESS_STAGING_URL"], !url.isEmpty {
            print("acceptance suites built from \(BuildVersion.current), against \(url)")
        }
        return testRun(
            environment: environment, contracts: StackContracts.repositoryDirectory,
            currentTest: { Test.current.map { "\($0.id)".split(separator: "/").dropLast().joined(separator: "/") } })
    }()
}
