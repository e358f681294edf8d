import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// What Balanced's own clients do that payments must take: found by running Balanced's Python client
/// against the stack (`clients/python`), and kept here so every run checks it.
@Suite struct ClientHabitsTests {
    @Test(arguments: Modes.all)
    func acceptsThreeLetterCountryCodes(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            var card = TestCard.visa.object ?? [:]
            card["address"] = ["line1": "10 Downing St", "postal_code": "SW1A 2AA", "country_code": "GBR"]
            let tokenized = try await merchant.tokenize(.object(card))
            #expect(tokenized["address"]["country_code"] == "GBR" && tokenized["avs_postal_match"] == "yes")
            card["address"] = ["postal_code": "94301", "country_code": "UNITED"]
            try expectError(try await merchant.payments.post("/cards", .object(card)), 400, "request")
        }
    }

    @Test(arguments: Modes.all)
    func aCustomerCreatedWithASourceOwnsTheCard(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try await merchant.tokenize()
            let cardID = try #require(card["id"].string)
            let customer = try await merchant.customer(["name": "Grace Hopper", "source": .string("/cards/\(cardID)")])
            #expect(customer["links"]["source"].string == cardID)
            let owned = try expectStatus(try await merchant.payments.get("/cards/\(cardID)"), 200)["cards"][0]
            #expect(owned["links"]["customer"] == customer["id"])
            let listed = try expectStatus(try await merchant.payments.get("/customers/\(customer["id"].string ?? "")/cards"), 200)
            #expect(listed["cards"].array?.map(\.["id"]) == [.string(cardID)])
        }
    }

    @Test(arguments: Modes.all)
    func voidsAHoldUpdatedWithIsVoid(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let hold = try await merchant.hold(try await merchant.tokenize(), amount: 2000)
            let id = try #require(hold["id"].string)
            var fields = hold.object ?? [:]
            fields["is_void"] = true
            let voided = try expectStatus(try await merchant.payments.put("/card_holds/\(id)", .object(fields)), 200)["card_holds"][0]
            #expect(voided["voided_at"].string != nil)
            let again = try expectStatus(try await merchant.payments.put("/card_holds/\(id)", ["is_void": true, "description": "gone"]), 200)
            #expect(again["card_holds"][0]["voided_at"] == voided["voided_at"] && again["card_holds"][0]["description"] == "gone")
            try expectError(try await merchant.payments.post("/card_holds/\(id)/debits", [:]), 409, "cannot-capture-authorization")
        }
    }

    @Test(arguments: Modes.all)
    func filtersSortsAndPagesAsBalancedsClientsAsk(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try await merchant.tokenize()
            for (amount, description) in [(1100, "gift a"), (1200, "gift b"), (1300, "rent"), (1400, "gift c")] {
                _ = try await merchant.debit(card, amount: amount, description: description)
            }
            func amounts(_ query: String) async throws -> [Int] {
                try expectStatus(try await merchant.payments.get("/debits?\(query)"), 200)["debits"].array?.compactMap(\.["amount"].int) ?? []
            }
            #expect(try await amounts("amount=1300") == [1300])
            #expect(try await amounts("amount=1100,1400") == [1400, 1100])
            #expect(try await amounts("amount%5B%3E%5D=1200") == [1400, 1300])
            #expect(try await amounts("amount%5B%3C%3D%5D=1200&sort=amount,asc") == [1100, 1200])
            #expect(try await amounts("description[startswith]=gift&sort=amount,desc") == [1400, 1200, 1100])
            #expect(try await amounts("description[!contains]=gift") == [1300])
            #expect(try await amounts("status=succeeded&amount%5B%21%3D%5D=1100&sort=amount,asc") == [1200, 1300, 1400])
            let page = try expectStatus(try await merchant.payments.get("/debits?amount[>]=1100&sort=amount,asc&limit=2"), 200)
            #expect(page["meta"]["total"] == 3)
            let next = try #require(page["meta"]["next"].string)
            #expect(next.contains("amount%5B%3E%5D=1100") || next.contains("amount[>]=1100"), "\(next)")
            let second = try expectStatus(try await merchant.payments.get(next), 200)
            #expect(second["debits"].array?.compactMap(\.["amount"].int) == [1400], "the filter holds on the next page")
            try expectError(try await merchant.payments.get("/debits?colour=red"), 400, "request")
            try expectError(try await merchant.payments.get("/debits?amount[~]=1"), 400, "request")
            try expectError(try await merchant.payments.get("/debits?amount=lots"), 400, "request")
            try expectError(try await merchant.payments.get("/debits?sort=amount"), 400, "request")
        }
    }
}
