import Harness
import PaymentsSystem
import ServiceKit
import Testing

@testable import Dashboard

@Suite struct DashboardUnitTests {
    @Test func summarizesAPageAndAWindowWithBoundedRequests() async throws {
        let page = Self.page([Self.debit("succeeded", 100), Self.debit("succeeded", 50), Self.debit("failed", 7)], total: 4000)
        let stats: JSON = [
            "window_seconds": 600, "checks": 3, "average_score": 20,
            "csc_checks": ["pass": 2, "fail": 1, "unavailable": 0], "decisions": ["accept": 3, "review": 0, "reject": 0],
        ]
        let transport = try Isolated(stubs: [
            .payments: { request in
                #expect(request.head.headerFields[.authorization] == "Basic c2VjcmV0Og==", "the merchant's own credentials")
                if request.head.path == "/marketplaces" {
                    return try await Isolated.answer(.ok, Self.marketplaces)(request)
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
        let transport = try Isolated(
            stubs: [
                .payments: { request in
                    try await Isolated.answer(.ok, request.head.path == "/marketplaces" ? Self.marketplaces : Self.page([], total: 0))(request)
                },
                .fraud: Isolated.answer(
                    .ok,
                    [
                        "window_seconds": 3600, "checks": 0, "average_score": nil,
                        "security_code_checks": [:], "decisions": [:],
                    ]),
            ], drifting: [.fraud])
        transport.local.register(try DashboardService(environment: transport.environment))
        let response = try await transport.client(.dashboard).authenticated(as: "secret").get("/summary")
        #expect(response.status == .badGateway)
        let drift = Drift(json: response.json?["errors"][0]["extras"]["drift"] ?? .null)
        #expect(
            drift?.route == "GET /checks/stats" && drift?.field == "csc_checks" && drift?.likelyRename == "security_code_checks",
            "\(String(describing: drift))")
        #expect(
            transport.drift == [
                "the fraud stub answered off fraud's document: GET /checks/stats answered 200: $.csc_checks: is required but missing; "
                    + "$.security_code_checks: is not in the document"
            ])
    }

    static let created: JSON = "2016-01-01T00:00:00.000000Z"

    /// The merchant's marketplace, as payments answers `GET /marketplaces`.
    static let marketplaces: JSON = [
        "marketplaces": [
            [
                "id": "MP1", "href": "/marketplaces/MP1", "name": "Unit Market", "domain_url": "example.com", "production": false,
                "in_escrow": 0, "unsettled_fees": 0, "support_email_address": "support@example.com", "support_phone_number": "+1 555 0100",
                "links": [:], "meta": [:], "created_at": created, "updated_at": created,
            ]
        ],
        "links": [:],
    ]

    /// A debit of the card `CC1`, as payments answers for one.
    static func debit(_ status: String, _ amount: Int) -> JSON {
        let id = JSON.string(IDs.make("WD"))
        return [
            "id": id, "href": .string("/debits/\(id.string ?? "")"), "status": .string(status), "amount": .number(Double(amount)),
            "currency": "USD", "appears_on_statement_as": "BAL*Unit Market", "description": nil, "transaction_number": "W123-456-7890",
            "failure_reason": nil, "failure_reason_code": nil, "meta": [:], "created_at": created, "updated_at": created,
            "links": ["card_hold": nil, "customer": nil, "dispute": nil, "order": nil, "source": "CC1"],
        ]
    }

    /// The first page of 50 of payments' `GET /debits`, of `total` debits.
    static func page(_ debits: [JSON], total: Int) -> JSON {
        [
            "debits": .array(debits), "links": [:],
            "meta": [
                "total": .number(Double(total)), "limit": 50, "offset": 0, "href": "/debits?limit=50&offset=0",
                "first": "/debits?limit=50&offset=0", "last": "/debits?limit=50&offset=0", "next": nil, "previous": nil,
            ],
        ]
    }
}
