import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Every service answers its health check, wherever the stack runs.
@Suite struct HealthTests {
    @Test(arguments: Modes.all)
    func reportsEveryServiceHealthy(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            for service in stack.system.names {
                let health = try expectStatus(try await stack.client(service).get("/health"), 200)
                #expect(health == ["service": .string(service.rawValue), "status": "ok"])
            }
        }
    }
}
