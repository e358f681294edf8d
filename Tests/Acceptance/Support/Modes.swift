import Harness

/// The modes each acceptance test runs in, as the suite's configuration says: the deployed stack alone
/// when aimed at one (`HARNESS_STAGING_URL`), otherwise in memory and served on loopback with real HTTP
/// between the services (`HARNESS_TRANSPORT=loopback` or `in-memory` keeps just that one).
enum Modes {
    static let all = HarnessConfiguration.suite.modes
    static let atStaging = HarnessConfiguration.suite.mode.isStaging
    static let inProcessOnly = "needs in-process access to the stack (hops, clock or databases); a deployed stack offers none"
}
