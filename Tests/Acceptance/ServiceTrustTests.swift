import Foundation
import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Vault and fraud let in only the services each route names, with a credential signed for the request.
@Suite struct ServiceTrustTests {
    /// What anyone outside the stack gets, a deployed one included: nothing without a credential.
    @Test(arguments: Modes.all)
    func refusesReadsOfCardsAndFraudStatisticsFromOutside(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            let asTenant: HTTPFields = [.tenant: merchant.marketplace]
            let cardRead = try await stack.client(.vault).get("/cards/\(card)", headers: asTenant)
            let description = try expectError(cardRead, 401, "service-credential-required")
            #expect(description.contains("vault"))
            #expect(cardRead.json?["id"].isNull == true && !cardRead.bodyText.contains("411111"), "no card data in a refusal")
            let stats = try await stack.client(.fraud).get("/checks/stats", headers: asTenant)
            try expectError(stats, 401, "service-credential-required")
            #expect(try await stack.client(.vault).get("/health").status == .ok, "health stays open for load balancers")
            // The public APIs still answer from outside.
            #expect(try await merchant.dashboard.get("/summary").status == .ok)
        }
    }
}

/// Each way a call can fail its check, refused before the handler: vault stores no card.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "signs calls with the stack's key, which \(Modes.inProcessOnly)")))
struct ServiceTrustDenialTests {
    static let card: JSON = ["number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123"]

    func tokenize(_ stack: Stack, credential: String?, tenant: String? = "MPtenant") async throws -> ServiceResponse {
        var headers: HTTPFields = [:]
        headers[.serviceCredential] = credential
        headers[.tenant] = tenant
        return try await stack.client(.vault).post("/cards", Self.card, headers: headers)
    }

    func credential(
        _ stack: Stack, from caller: ServiceName = .payments, to callee: ServiceName = .vault,
        _ method: HTTPRequest.Method = .post, _ path: String = "/cards", tenant: String? = "MPtenant"
    ) throws -> String {
        var fields: HTTPFields = [:]
        fields[.tenant] = tenant
        return try stack.credential(
            from: caller, to: callee,
            for: HTTPRequest(
                method: method, scheme: nil, authority: nil, path: path,
                headerFields: fields))
    }

    func storedCards(_ stack: Stack) throws -> Int {
        try stack.database(.vault).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM card") ?? -1 }
    }

    @Test(arguments: Modes.all)
    func refusesEveryCallThatFailsItsCheckBeforeTheHandler(mode: StackMode) async throws {
        let logs = LogCapture()
        try await withStack(.payments, mode, logs: logs, configuration: .suite) { stack in
            let valid = try credential(stack)
            try expectError(try await tokenize(stack, credential: nil), 401, "service-credential-required")

            let forgedTenant = valid.replacingOccurrences(of: "tenant=MPtenant", with: "tenant=MPother")
            try expectError(try await tokenize(stack, credential: forgedTenant, tenant: "MPother"), 401, "service-credential-invalid")
            let otherKey = ServiceIdentity.random().credential(
                from: .payments, to: .vault,
                for: HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/cards", headerFields: [.tenant: "MPtenant"]))
            try expectError(try await tokenize(stack, credential: otherKey), 401, "service-credential-invalid")
            try expectError(try await tokenize(stack, credential: "v1;caller=payments"), 401, "service-credential-invalid")
            let anotherRequest = try credential(stack, .get, "/cards/CCsomething")
            try expectError(try await tokenize(stack, credential: anotherRequest), 401, "service-credential-invalid")

            let forFraud = try credential(stack, to: .fraud)
            let wrongCallee = try expectError(try await tokenize(stack, credential: forFraud), 403, "service-credential-wrong-callee")
            #expect(wrongCallee.contains("is for fraud, not vault"))

            let asDashboard = try credential(stack, from: .dashboard)
            let notAllowed = try await tokenize(stack, credential: asDashboard)
            let refusal = try expectError(notAllowed, 403, "caller-not-allowed")
            #expect(refusal.contains("dashboard may not call vault POST /cards"))
            #expect(notAllowed.json?["errors"][0]["extras"] == ["caller": "dashboard", "route": "POST /cards"])

            try expectError(try await tokenize(stack, credential: valid, tenant: "MPother"), 403, "tenant-mismatch")

            try stack.clock().advance(by: ServiceIdentity.lifetime + 1)
            try expectError(try await tokenize(stack, credential: valid), 401, "service-credential-expired")

            #expect(try storedCards(stack) == 0, "no refused call reached vault's handler")
            let refusals = logs.all.filter { $0.contains("refused a call") }
            #expect(refusals.count == 9, "\(refusals)")
            #expect(!logs.all.contains { $0.contains("signature=") }, "no credential is logged")

            // The same call with a fresh credential gets through, and the tenant vault stores is the credential's.
            let accepted = try await tokenize(stack, credential: try credential(stack))
            #expect(accepted.status == .created, "\(accepted.bodyText)")
            #expect(try storedCards(stack) == 1)
            let tenant = try await stack.database(.vault).read { try String.fetchOne($0, sql: "SELECT tenant FROM card") }
            #expect(tenant == "MPtenant")
        }
    }

    @Test(arguments: Modes.all)
    func takesTheTenantFromTheCredentialWhenTheCallNamesNone(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let accepted = try await tokenize(stack, credential: try credential(stack), tenant: nil)
            #expect(accepted.status == .created, "\(accepted.bodyText)")
            let tenant = try await stack.database(.vault).read { try String.fetchOne($0, sql: "SELECT tenant FROM card") }
            #expect(tenant == "MPtenant")
        }
    }

    @Test(arguments: Modes.all)
    func letsATestCallAnInternalServiceAsTheServiceThatMayCallIt(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let vault = try stack.client(.vault, as: .payments)
            let created = try await vault.post("/cards", Self.card, headers: [.tenant: "MPtenant"])
            #expect(created.status == .created, "\(created.bodyText)")
            let id = try #require(created.json?["id"].string)
            #expect(try await vault.get("/cards/\(id)", headers: [.tenant: "MPtenant"]).status == .ok)
            let asDashboard = try stack.client(.vault, as: .dashboard)
            try expectError(try await asDashboard.get("/cards/\(id)", headers: [.tenant: "MPtenant"]), 403, "caller-not-allowed")
            #expect(try stack.exchanges().allSatisfy { $0.caller == nil || $0.callee != .vault }, "the hops show the test's calls as from outside")
        }
    }
}
