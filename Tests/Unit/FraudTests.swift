import Foundation
import Harness
import PaymentsSystem
import ServiceKit
import Testing

@testable import Fraud

@Suite struct FraudTests {
    @Test(
        arguments: [
            (1000, "yes", 0, 10, RiskModel.Decision.accept, RiskModel.CSCCheck.pass),
            (1000, "no", 0, 40, .accept, .fail),
            (1000, "unsupported", 0, 20, .accept, .unavailable),
            (1000, nil, 0, 20, .accept, .unavailable),
            (100_000, "yes", 0, 20, .accept, .pass),
            (500_000, "yes", 0, 50, .review, .pass),
            (1_000_000, "yes", 0, 70, .review, .pass),
            (1_000_000, "no", 0, 100, .reject, .fail),
            (1000, "yes", 1, 10, .accept, .pass),
            (1000, "yes", 2, 20, .accept, .pass),
            (1000, "yes", 5, 50, .review, .pass),
            (1000, "yes", 50, 60, .review, .pass),
        ] as [(Int, String?, Int, Int, RiskModel.Decision, RiskModel.CSCCheck)])
    func scoresAmountVelocityAndSecurityCode(
        amount: Int, cvv: String?, recent: Int, score: Int,
        decision: RiskModel.Decision, csc: RiskModel.CSCCheck
    ) {
        let assessment = RiskModel.assess(amount: amount, cvvMatch: cvv, recentChecks: recent)
        #expect(assessment.score == score)
        #expect(assessment.decision == decision)
        #expect(assessment.cscCheck == csc)
    }

    @Test func countsVelocityPerCardWithinTheHour() async throws {
        let clock = StackClock()
        let transport = try Isolated()
        var environment = transport.environment
        environment.clock = { clock.now }
        transport.local.register(try FraudService(environment: environment))
        let fraud = transport.client(.fraud)
        func check(_ card: String) async throws -> JSON {
            try #require(try await fraud.post("/checks", ["card_id": .string(card), "amount": 1000, "currency": "USD", "cvv_match": "yes"]).json)
        }
        var scores: [Int] = []
        for _ in 0..<4 { scores.append(try await check("CC1")["score"].int ?? -1) }
        #expect(scores == [10, 10, 20, 30])
        #expect(try await check("CC2")["score"] == 10, "another card has its own history")
        clock.advance(by: 3601)
        #expect(try await check("CC1")["score"] == 10, "an hour later the card starts afresh")

        let stats = try #require(try await fraud.get("/checks/stats?window=60").json)
        #expect(stats["checks"] == 1)
        let all = try #require(try await fraud.get("/checks/stats?window=7200").json)
        #expect(all["checks"] == 6)
        #expect(all["csc_checks"] == ["pass": 6, "fail": 0, "unavailable": 0])
        #expect(all["decisions"] == ["accept": 6, "review": 0, "reject": 0])
    }

    @Test func answersTheCheckItRecorded() async throws {
        let transport = try Isolated()
        transport.local.register(try FraudService(environment: transport.environment))
        let created = try #require(
            try await transport.client(.fraud).post(
                "/checks",
                [
                    "card_id": "CC9", "amount": 1000, "currency": "usd", "cvv_match": "no",
                ]
            ).json)
        #expect(created["csc_check"] == "fail")
        #expect(created["reasons"] == ["csc_fail"])
        #expect(created["currency"] == "USD")
        let id = try #require(created["id"].string)
        #expect(try await transport.client(.fraud).get("/checks/\(id)").json == created)
    }

    @Test(arguments: [
        (["card_id": "CC1", "amount": 0, "currency": "USD"] as JSON, "amount"),
        (["card_id": "CC1", "amount": 10, "currency": "DOLLARS"] as JSON, "currency"),
        (["card_id": "CC1", "amount": 10, "currency": "USD", "cvv_match": "maybe"] as JSON, "cvv_match"),
        (["amount": 10, "currency": "USD"] as JSON, "card_id"),
        (["card_id": "CC1", "amount": "ten", "currency": "USD"] as JSON, "amount"),
    ])
    func rejectsAMalformedCheck(body: JSON, field: String) async throws {
        let transport = try Isolated()
        transport.local.register(try FraudService(environment: transport.environment))
        let response = try await transport.client(.fraud).post("/checks", body)
        #expect(response.status == .badRequest)
        #expect(response.json?["errors"][0]["description"].string?.hasPrefix("\(field):") == true, "\(response.bodyText)")
    }
}

@Suite struct UnderwritingTests {
    @Test(arguments: [
        (["name": "Henry Ford", "dob_month": 7, "dob_year": 1963, "postal_code": "48120"] as JSON, "underwritten"),
        (["name": "Henry Ford", "dob_month": "07", "dob_year": "1963", "postal_code": "48120"] as JSON, "underwritten"),
        (["business_name": "Ford Motor Company", "ein": "12-3456789"] as JSON, "underwritten"),
        (["name": "Henry Ford"] as JSON, "no-match"),
        (["name": "Henry Ford", "dob_month": 13, "dob_year": 1963, "postal_code": "48120"] as JSON, "no-match"),
        (["name": "Henry Ford", "dob_month": 7, "dob_year": 1963, "postal_code": "4812"] as JSON, "no-match"),
        (["business_name": "Ford Motor Company", "ein": "123"] as JSON, "no-match"),
        ([:] as JSON, "no-match"),
    ])
    func underwritesAPersonOrABusinessThatCanBeMatched(identity: JSON, status: String) {
        #expect(Underwriting.decide(identity).merchantStatus == status)
    }
}

@Suite struct FraudRoutesTests {
    func fraud() throws -> StackClient {
        let transport = try Isolated()
        transport.local.register(try FraudService(environment: transport.environment))
        return transport.client(.fraud)
    }

    @Test func underwritesOverHTTPAndSaysWhatIsMissing() async throws {
        let fraud = try fraud()
        let person = try #require(try await fraud.post("/underwriting", ["name": "Ada", "dob_month": 7, "dob_year": 1980]).json)
        #expect(person == ["merchant_status": "no-match", "missing": ["postal_code"]])
        let business = try #require(try await fraud.post("/underwriting", ["business_name": "Shop", "ein": "12-3456789"]).json)
        #expect(business == ["merchant_status": "underwritten", "missing": []])
        #expect(try await fraud.send(.post, "/underwriting", raw: "[oops").status == .badRequest)
    }

    @Test func keepsEachMarketplacesChecksToItself() async throws {
        let fraud = try fraud()
        let created = try await fraud.post("/checks", ["card_id": "CC1", "amount": 500, "currency": "USD"], headers: [.tenant: "MP1"])
        let id = try #require(created.json?["id"].string)
        #expect(try await fraud.get("/checks/\(id)", headers: [.tenant: "MP1"]).json?["amount"] == 500)
        #expect(try await fraud.get("/checks/\(id)", headers: [.tenant: "MP2"]).status == .notFound)
        #expect(try await fraud.get("/checks/FCnope", headers: [.tenant: "MP1"]).status == .notFound)
    }
}
