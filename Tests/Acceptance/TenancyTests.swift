import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// A marketplace sees its own resources and nobody else's; nobody sees anything without a key.
@Suite struct TenancyTests {
    @Test(arguments: Modes.all)
    func refusesCallsWithoutAValidKey(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            #expect(try await stack.payments.get("/debits").status == .unauthorized)
            #expect(try await stack.payments.authenticated(as: "ak-test-nosuchkey0000000000").get("/debits").status == .unauthorized)
            #expect(try await stack.payments.get("/debits", headers: [.authorization: "Bearer x"]).status == .unauthorized)
            #expect(try await stack.dashboard.get("/summary").status == .unauthorized)
            #expect(try await stack.dashboard.authenticated(as: "ak-test-nosuchkey0000000000").get("/summary").status == .unauthorized)
            let body = try #require(try await stack.payments.get("/customers").json)
            #expect(body["errors"][0]["status_code"] == 401)
        }
    }

    @Test(arguments: Modes.all)
    func keepsEachMarketplacesResourcesToItself(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let alice = try await stack.openMarketplace()
            let bob = try await stack.openMarketplace()
            let card = try await alice.tokenize()
            let cardID = try #require(card["id"].string)
            let debit = try #require(try await alice.debit(card, amount: 4321)["id"].string)
            let customer = try #require(try await alice.customer(["name": "Alice's buyer"])["id"].string)
            let hold = try #require(try await alice.hold(card, amount: 100)["id"].string)

            for path in ["/cards/\(cardID)", "/debits/\(debit)", "/customers/\(customer)", "/card_holds/\(hold)", "/resources/\(debit)"] {
                try expectError(try await bob.payments.get(path), 404, "not-found")
            }
            try expectError(try await bob.payments.post("/cards/\(cardID)/debits", ["amount": 100]), 404, "not-found")
            try expectError(try await bob.payments.post("/debits/\(debit)/refunds", [:]), 404, "not-found")
            try expectError(try await bob.payments.put("/debits/\(debit)", ["description": "mine now"]), 404, "not-found")
            #expect(try expectStatus(try await bob.payments.get("/debits"), 200)["meta"]["total"] == 0)

            let bobs = try expectStatus(try await bob.dashboard.get("/summary"), 200)
            #expect(bobs["debits"]["count"] == 0)
            #expect(bobs["fraud"]["checks"] == 0, "fraud's checks are kept per marketplace")
            let alices = try expectStatus(try await alice.dashboard.get("/summary"), 200)
            #expect(alices["debits"]["by_status"]["succeeded"] == ["count": 1, "amount": 4321])
            #expect(alices["fraud"]["checks"] == 2)
        }
    }

    @Test(arguments: Modes.all)
    func tokenizesAFormWithoutAKeyForTheMarketplaceThatUsesIt(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let form =
                "number=4111111111111111&expiration_month=12&expiration_year=2016&cvv=123"
                + "&address%5Bline1%5D=965+Mission+St&address[postal_code]=94103&name=Form+Buyer"
            let token = try await stack.payments.send(
                .post, "/cards", raw: form,
                headers: [.contentType: "application/x-www-form-urlencoded"])
            let bare = try expectStatus(token, 201)["cards"][0]
            #expect(bare.object?.keys.sorted() == ["href", "id", "links"], "a token and nothing more without a key")
            let href = try #require(bare["href"].string)

            let merchant = try await stack.openMarketplace()
            let card = try expectStatus(try await merchant.payments.get(href), 200)["cards"][0]
            #expect(card["name"] == "Form Buyer")
            #expect(card["avs_street_match"] == "yes")
            #expect(card["avs_postal_match"] == "yes")
            #expect(card["address"]["line1"] == "965 Mission St")
            _ = try await merchant.debit(card, amount: 100)
            let other = try await stack.openMarketplace()
            try expectError(try await other.payments.get(href), 404, "not-found")
        }
    }
}
