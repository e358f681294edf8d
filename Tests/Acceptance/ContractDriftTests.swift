import GRDB
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Fraud renames `csc_check`; every unit test passes; payments must fail loudly, naming what drifted.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "rewrites fraud's response in flight, which \(Modes.inProcessOnly)")))
struct ContractDriftTests {
    @Test(arguments: Modes.all)
    func failsLoudlyWhenFraudRenamesTheSecurityCodeField(mode: StackMode) async throws {
        try await withStack(.payments, mode, contracts: .checkedIn) { stack in
            let merchant = try await stack.openMarketplace()
            try stack.intercept(.fraud, from: .payments) { request, next in
                try await next(request).rewritingJSON { $0 = $0.renamingKey("csc_check", to: "security_code_check") }
            }
            let card = try #require(try await merchant.tokenize()["id"].string)
            let response = try await merchant.payments.post("/cards/\(card)/debits", ["amount": 1000])
            let description = try expectError(response, 502, "contract-violation")
            for name in ["payments", "fraud", "POST /checks", "`csc_check`", "`security_code_check`", "string", "likely rename"] {
                #expect(description.contains(name), "\(description)")
            }
            let extras = response.json?["errors"][0]["extras"]
            #expect(extras?["consumer"] == "payments")
            #expect(extras?["provider"] == "fraud")
            #expect(extras?["field"] == "csc_check")
            #expect(extras?["likely_renames"] == ["security_code_check"])

            let stored = try await stack.database(.payments).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM debit") }
            #expect(stored == 0, "a debit whose fraud check could not be read must not be recorded")
        }
    }

    /// The description of the 502 payments answers a debit with once fraud's `field` comes as `value`.
    func violation(_ mode: StackMode, fraudSends field: String, as value: JSON) async throws -> String {
        try await withStack(.payments, mode, contracts: .checkedIn) { stack in
            let merchant = try await stack.openMarketplace()
            try stack.intercept(.fraud, from: .payments) { request, next in
                try await next(request).rewritingJSON { json in
                    if case .object(var object) = json { object[field] = value; json = .object(object) }
                }
            }
            let card = try #require(try await merchant.tokenize()["id"].string)
            return try expectError(try await merchant.payments.post("/cards/\(card)/debits", ["amount": 1000]), 502, "contract-violation")
        }
    }

    @Test(arguments: Modes.all)
    func namesATypeChangeInsteadOfARename(mode: StackMode) async throws {
        let description = try await violation(mode, fraudSends: "score", as: "10")
        #expect(description.contains("`score` should be an integer but is string \"10\": type changed"), "\(description)")
    }

    @Test(arguments: Modes.all)
    func namesAnEnumValueTheConsumerDoesNotKnow(mode: StackMode) async throws {
        let description = try await violation(mode, fraudSends: "decision", as: "escalate")
        #expect(description.contains("field `decision` has a value the consumer does not know: \"escalate\": enum value unknown"), "\(description)")
    }
}

/// A provider that moves or removes a route a consumer calls: the merchant gets a 502 that says so,
/// not the provider's 404 as if the merchant had asked for something that does not exist.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "rewrites fraud's answer in flight, which \(Modes.inProcessOnly)")))
struct RouteGoneTests {
    @Test(arguments: Modes.all)
    func answersABadGatewayWhenAProviderNoLongerHasTheRoute(mode: StackMode) async throws {
        try await withStack(.payments, mode, contracts: .checkedIn) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            // Send fraud's POST /checks to a path fraud does not serve, as if fraud had moved the route.
            try stack.intercept(.fraud, from: .payments) { request, next in
                var moved = request
                moved.head.path = "/v2/checks"
                return try await next(moved)
            }
            let response = try await merchant.payments.post("/cards/\(card)/debits", ["amount": 1000])
            let description = try expectError(response, 502, "contract-violation")
            #expect(description.contains("payments cannot call fraud POST /checks: the provider answers 404, it has no such route: route gone"),
                    "\(description)")
            let vaultMissing = try await merchant.payments.get("/cards/CCnothing")
            try expectError(vaultMissing, 404, "not-found")
        }
    }
}
