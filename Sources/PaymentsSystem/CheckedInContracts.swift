import Foundation
import Harness

extension StackContracts {
    /// This repository's `contracts/`, found from this file rather than the working directory, so every
    /// suite checks the same files however it runs (`swift test` from anywhere, Xcode).
    public static let repositoryDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("contracts").path
}
