import Harness
import PaymentsSystem
import Testing

/// What a stack does on every hop, each check on a switch of its own: a benchmark turns them off to tell
/// what each costs, and the services answer the same without them.
@Suite struct ChecksTests {
    static func configuration(_ checks: Checks) -> HarnessConfiguration {
        var configuration = HarnessConfiguration(contracts: .none)
        configuration.checks = checks
        return configuration
    }

    static let card: JSON = ["number": "4111111111111111", "expiration_month": 12, "expiration_year": 2030, "cvv": "123"]

    @Test func withEveryCheckEachCallIsValidatedOnceRecordedAndTraced() async throws {
        try await withStack(.payments, .inMemory, configuration: Self.configuration(.all)) { stack in
            let merchant = try await stack.openMarketplace()
            let (exchanges, validations) = (try stack.exchanges().count, try stack.validations())
            let debit = try await merchant.payments.post("/debits", ["amount": 1000, "source": Self.card])
            #expect(debit.status == .created)
            let calls = try stack.exchanges().count - exchanges
            #expect(calls > 1, "the debit reaches vault and fraud")
            #expect(try stack.validations() - validations == calls, "one validation per call, the outer one and every hop")
            #expect(!(try stack.contracts().contracts.isEmpty))
            #expect(!(try stack.spans().isEmpty))
        }
    }

    @Test func withoutChecksTheServicesAnswerTheSameAndNothingIsRecorded() async throws {
        try await withStack(.payments, .inMemory, configuration: Self.configuration([])) { stack in
            let merchant = try await stack.openMarketplace()
            let debit = try await merchant.payments.post("/debits", ["amount": 1000, "source": Self.card])
            #expect(debit.status == .created)
            #expect(debit.json?["debits"][0]["status"] == "succeeded")
            #expect(try stack.exchanges().isEmpty)
            #expect(try stack.validations() == 0)
            #expect(try stack.contracts().contracts.isEmpty)
        }
    }

    @Test func withoutSigningInternalServicesTrustTheirCallers() async throws {
        for checks in [Checks.all, Checks.all.subtracting(.signing)] {
            try await withStack(.payments, .inMemory, configuration: Self.configuration(checks)) { stack in
                let answer = try await stack.client(.vault).get("/cards/card_none")
                #expect((answer.status == .unauthorized) == checks.contains(.signing), "\(answer.status): \(answer.bodyText)")
            }
        }
    }

    @Test func aBodyRewrittenOnTheWayIsReadAsRewritten() {
        var response = ServiceResponse(.ok, json: ["a": 1])
        response.parsedBody = ["a": 1] as JSON
        #expect(response.json?["a"] == 1)
        response.body = (["a": 2] as JSON).encoded()
        #expect(response.parsedBody == nil)
        #expect(response.json?["a"] == 2)
    }
}
