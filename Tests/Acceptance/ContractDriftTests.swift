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
        let drift = await expectDrift(mode) { stack in
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
            let answered = Drift(json: response.json?["errors"][0]["extras"]["drift"] ?? .null)
            #expect(answered?.consumer == .payments && answered?.provider == .fraud && answered?.route == "POST /checks")
            #expect(answered?.field == "csc_check" && answered?.kind == .requiredFieldMissing)
            #expect(answered?.likelyRename == "security_code_check")

            let stored = try await stack.database(.payments).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM debit") }
            #expect(stored == 0, "a debit whose fraud check could not be read must not be recorded")
        }
        #expect(drift.map(\.kind) == [.requiredFieldMissing], "the stack fails the test whatever it asserted")
    }

    /// The drift payments answers a debit with (a 502) once fraud's `field` comes as `value`.
    func violation(_ mode: StackMode, fraudSends field: String, as value: JSON) async throws -> Drift? {
        var answered: Drift?
        let drift = await expectDrift(mode) { stack in
            let merchant = try await stack.openMarketplace()
            try stack.intercept(.fraud, from: .payments) { request, next in
                try await next(request).rewritingJSON { json in
                    if case .object(var object) = json {
                        object[field] = value
                        json = .object(object)
                    }
                }
            }
            let card = try #require(try await merchant.tokenize()["id"].string)
            let response = try await merchant.payments.post("/cards/\(card)/debits", ["amount": 1000])
            try expectError(response, 502, "contract-violation")
            answered = Drift(json: response.json?["errors"][0]["extras"]["drift"] ?? .null)
        }
        #expect(drift == answered.map { [$0] })
        return answered
    }

    @Test(arguments: Modes.all)
    func namesATypeChangeInsteadOfARename(mode: StackMode) async throws {
        let drift = try await violation(mode, fraudSends: "score", as: "10")
        #expect(drift?.kind == .typeChanged && drift?.field == "score", "\(String(describing: drift))")
        #expect(drift?.detail == "it should be an integer but is string \"10\"")
    }

    @Test(arguments: Modes.all)
    func namesARequiredFieldThatCameNull(mode: StackMode) async throws {
        let drift = try await violation(mode, fraudSends: "id", as: .null)
        #expect(drift?.kind == .nowNullable && drift?.field == "id", "\(String(describing: drift))")
    }

    @Test(arguments: Modes.all)
    func namesAnEnumValueTheConsumerDoesNotKnow(mode: StackMode) async throws {
        let drift = try await violation(mode, fraudSends: "decision", as: "escalate")
        #expect(drift?.kind == .enumValueUnknown && drift?.field == "decision", "\(String(describing: drift))")
    }
}

/// A provider that moves or removes a route a consumer calls: the merchant gets a 502 that says so,
/// not the provider's 404 as if the merchant had asked for something that does not exist.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "rewrites fraud's answer in flight, which \(Modes.inProcessOnly)")))
struct RouteGoneTests {
    @Test(arguments: Modes.all)
    func answersABadGatewayWhenAProviderNoLongerHasTheRoute(mode: StackMode) async throws {
        let drift = await expectDrift(mode) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            // Send fraud's POST /checks to a path fraud does not serve, as if fraud had moved the route.
            try stack.intercept(.fraud, from: .payments) { request, next in
                var moved = request
                moved.head.path = "/v2/checks"
                return try await next(moved)
            }
            let response = try await merchant.payments.post("/cards/\(card)/debits", ["amount": 1000])
            try expectError(response, 502, "contract-violation")
            let answered = Drift(json: response.json?["errors"][0]["extras"]["drift"] ?? .null)
            #expect(answered?.kind == .routeGone && answered?.route == "POST /checks" && answered?.provider == .fraud)
            let vaultMissing = try await merchant.payments.get("/cards/CCnothing")
            try expectError(vaultMissing, 404, "not-found")
        }
        #expect(drift.map(\.kind) == [.routeGone])
    }
}
