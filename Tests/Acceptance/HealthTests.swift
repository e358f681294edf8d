import Harness
import ServiceKit
import Testing

/// Every service answers its health check, wherever the stack runs.
@Suite struct HealthTests {
    @Test(arguments: Modes.all)
    func reportsEveryServiceHealthy(mode: StackMode) async throws {
        try await withStack(mode) { stack in
            for service in ServiceName.allCases {
                let health = try expectStatus(try await stack.client(service).get("/health"), 200)
                #expect(health == ["service": .string(service.rawValue), "status": "ok"])
            }
        }
    }
}
