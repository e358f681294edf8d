import Foundation
import Harness
import PaymentsSystem

/// The modes each acceptance test runs in.
///
/// With `HARNESS_STAGING_URL` set, only the deployed stack. Otherwise both in-process modes: in memory,
/// and served on loopback with real HTTP between the services (`HARNESS_TRANSPORT=loopback` or
/// `HARNESS_TRANSPORT=in-memory` keeps just that one).
enum Modes {
    static let environment = StackMode.fromEnvironment
    static let all: [StackMode] = environment != .inMemory ? [environment]
        : ProcessInfo.processInfo.environment["HARNESS_TRANSPORT"] == "in-memory" ? [.inMemory] : [.inMemory, .loopback]
    static let atStaging = environment.isStaging
    static let inProcessOnly = "needs in-process access to the stack (hops, clock or databases); a deployed stack offers none"
}
