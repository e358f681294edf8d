import Foundation
import Harness

extension StackContracts {
    /// The repository's `contracts/`, found from this file rather than the working directory, so the suites
    /// check them however they are run (`swift test` anywhere, Xcode); `harness contracts` points a run at
    /// another directory, or records it, through the environment, read here at the edge.
    static let checkedIn = StackContracts.forSuite(
        environment: ProcessInfo.processInfo.environment,
        directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("contracts").path)
}
