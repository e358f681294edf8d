import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Every service answers its health check, wherever the stack runs, saying which build it runs: what
/// `harness deploy status` and `can-i-deploy` read from a deployed environment.
@Suite struct HealthTests {
    @Test(arguments: Modes.all)
    func reportsEveryServiceHealthy(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            for service in stack.system.names {
                let health = try expectStatus(try await stack.client(service).get("/health"), 200)
                #expect(health["service"] == .string(service.rawValue) && health["status"] == "ok")
                let commit = try #require(health["commit"].string)
                #expect(commit == "unknown" || commit.count == 40)
                #expect(health["version"].string?.hasPrefix(String(commit.prefix(12))) == true)
            }
        }
    }
}
