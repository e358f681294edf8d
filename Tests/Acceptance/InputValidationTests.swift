import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Bad input gets a 4xx with a JSON error that names the field, and stores nothing.
@Suite struct InputValidationTests {
    @Test(arguments: Modes.all)
    func rejectsACardThatFailsTheLuhnCheck(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let description = try expectError(
                try await merchant.payments.post("/cards", TestCard.card("4111111111111112", cvv: "123")), 409, "card-not-validated")
            #expect(description.contains("number"))
        }
    }

    @Test(
        arguments: Modes.all,
        [
            ("expiration_month", TestCard.card("4111111111111111", cvv: "123", month: 13), "month"),
            ("expiration_year", TestCard.card("4111111111111111", cvv: "123", year: 16), "four-digit"),
            ("cvv", TestCard.card("4111111111111111", cvv: "12"), "3 or 4 digits"),
            ("number", ["expiration_month": 12, "expiration_year": 2016] as JSON, "required"),
            ("number", TestCard.card("4111-abcd", cvv: "123"), "digits"),
        ] as [(String, JSON, String)])
    func namesTheFieldOfABadCard(mode: StackMode, badCard: (field: String, card: JSON, problem: String)) async throws {
        let (field, card, problem) = badCard
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let description = try expectError(try await merchant.payments.post("/cards", card), 400, "request")
            #expect(description.hasPrefix("\(field):"), "\(description)")
            #expect(description.contains(problem), "\(description)")
        }
    }

    @Test(arguments: Modes.all)
    func namesTheFieldOfABadDebit(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            for (body, field) in [
                (["amount": -5], "amount"), (["amount": 0], "amount"), (["amount": "ten"], "amount"),
                ([:], "amount"), (["amount": 100, "currency": "EUR"], "currency"),
                (["amount": 100, "appears_on_statement_as": "this is far too long for a statement"], "appears_on_statement_as"),
                (["amount": 10_000_000_000], "amount"),
            ] as [(JSON, String)] {
                let description = try expectError(
                    try await merchant.payments.post("/cards/\(card)/debits", body), 400,
                    field == "amount" ? "invalid-amount" : "request")
                #expect(description.hasPrefix("\(field):"), "\(body) → \(description)")
            }
            let page = try expectStatus(try await merchant.payments.get("/debits?limit=100"), 200)
            #expect(page["debits"].array?.contains { $0["links"]["source"].string == card } == false)
        }
    }

    @Test(arguments: Modes.all)
    func answersMalformedRequestsWithJSONErrors(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            try expectError(try await merchant.payments.send(.post, "/cards", raw: "{not json"), 400, "request")
            try expectError(try await merchant.payments.send(.post, "/cards"), 400, "request")
            try expectError(try await merchant.payments.post("/cards", [1, 2]), 400, "request")
            try expectError(try await merchant.payments.get("/debits/WDnope"), 404, "not-found")
            try expectError(try await merchant.payments.get("/cards/CCnope"), 404, "not-found")
            try expectError(try await merchant.payments.get("/no/such/route"), 404, "not-found")
            try expectError(try await merchant.payments.get("/debits?limit=1000"), 400, "request")
            try expectError(try await merchant.payments.post("/debits", ["amount": 100, "source": "/bank_accounts/BA1"]), 400, "request")
            try expectError(try await merchant.dashboard.get("/summary?window=0"), 400, "request")
        }
    }
}
