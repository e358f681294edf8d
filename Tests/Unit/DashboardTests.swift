import Harness
import PaymentsSystem
import ServiceKit
import Testing
@testable import Dashboard

@Suite struct DashboardUnitTests {
    @Test func summarizesAPageAndAWindowWithBoundedRequests() async throws {
        let page: JSON = [
            "debits": [["status": "succeeded", "amount": 100], ["status": "succeeded", "amount": 50], ["status": "failed", "amount": 7]],
            "meta": ["total": 4000],
        ]
        let stats: JSON = [
            "window_seconds": 600, "checks": 3, "average_score": 20,
            "csc_checks": ["pass": 2, "fail": 1, "unavailable": 0], "decisions": ["accept": 3, "review": 0, "reject": 0],
        ]
        let transport = Isolated(stubs: [
            .payments: { request in
                #expect(request.head.headerFields[.authorization] == "Basic c2VjcmV0Og==", "the merchant's own credentials")
                if request.head.path == "/marketplaces" {
                    return try await Isolated.answer(.ok, ["marketplaces": [["id": "MP1"]]])(request)
                }
                #expect(request.head.path == "/debits?limit=50&offset=0")
                return try await Isolated.answer(.ok, page)(request)
            },
            .fraud: { request in
                #expect(request.head.path == "/checks/stats?window=600")
                #expect(request.head.headerFields[.tenant] == "MP1")
                return try await Isolated.answer(.ok, stats)(request)
            },
        ])
        transport.local.register(try DashboardService(environment: transport.environment))
        let dashboard = transport.client(.dashboard).authenticated(as: "secret")
        #expect(try await transport.client(.dashboard).get("/summary").status == .unauthorized)
        let summary = try #require(try await dashboard.get("/summary?limit=50&window=600").json)
        #expect(summary["debits"]["by_status"]["succeeded"] == ["count": 2, "amount": 150])
        #expect(summary["debits"]["by_status"]["failed"] == ["count": 1, "amount": 7])
        #expect(summary["debits"]["by_status"]["pending"] == ["count": 0, "amount": 0])
        #expect(summary["debits"]["count"] == 3)
        #expect(summary["debits"]["total"] == 4000)
        #expect(summary["fraud"]["average_score"] == 20)
        #expect(summary["fraud"]["csc_checks"]["fail"] == 1)
        let history = try #require(try await dashboard.get("/summary/history").json)
        #expect(history[0]["succeeded_volume"] == 150)
    }

    @Test func failsLoudlyWhenFraudsStatsDrift() async throws {
        let transport = Isolated(stubs: [
            .payments: { request in
                try await Isolated.answer(.ok, request.head.path == "/marketplaces" ? ["marketplaces": [["id": "MP1"]]]
                                          : ["debits": [], "meta": ["total": 0]])(request)
            },
            .fraud: Isolated.answer(.ok, ["window_seconds": 3600, "checks": 0, "average_score": nil,
                                          "security_code_checks": [:], "decisions": [:]]),
        ])
        transport.local.register(try DashboardService(environment: transport.environment))
        let response = try await transport.client(.dashboard).authenticated(as: "secret").get("/summary")
        #expect(response.status == .badGateway)
        let drift = Drift(json: response.json?["errors"][0]["extras"]["drift"] ?? .null)
        #expect(drift?.route == "GET /checks/stats" && drift?.field == "csc_checks" && drift?.likelyRename == "security_code_checks",
                "\(String(describing: drift))")
    }
}
