import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Customers: fraud underwrites them, their cards are theirs, their funding source can be debited.
@Suite struct CustomersTests {
    static let henryFord: JSON = ["name": "Henry Ford", "dob_month": 7, "dob_year": 1963, "address": ["postal_code": "48120"]]

    @Test(arguments: Modes.all)
    func underwritesWhoFraudCanMatch(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            #expect(try await merchant.customer(Self.henryFord)["merchant_status"] == "underwritten")
            #expect(try await merchant.customer(["business_name": "Ford", "ein": "123456789"])["merchant_status"] == "underwritten")
            let person = try await merchant.customer(["customers": [["name": "Henry Ford", "ssn_last4": "5555"]]])
            #expect(person["merchant_status"] == "no-match")
            #expect(person["ssn_last4"] == "xxxx")
            let id = try #require(person["id"].string)
            let updated = try expectStatus(
                try await merchant.payments.put(
                    "/customers/\(id)",
                    [
                        "dob_month": "07", "dob_year": "1963", "address": ["postal_code": "48120"],
                    ]), 200)["customers"][0]
            #expect(updated["merchant_status"] == "underwritten")
            #expect(updated["name"] == "Henry Ford", "PUT merges")
        }
    }

    @Test(arguments: Modes.all)
    func debitsACustomersFundingSource(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let customer = try #require(try await merchant.customer(Self.henryFord)["id"].string)
            try expectError(try await merchant.payments.post("/customers/\(customer)/debits", ["amount": 100]), 409, "no-funding-source")

            let card = try #require(try await merchant.tokenize()["id"].string)
            let linked = try expectStatus(try await merchant.payments.put("/cards/\(card)", ["links": ["customer": .string(customer)]]), 200)
            #expect(linked["cards"][0]["links"]["customer"].string == customer)
            let patched = try expectStatus(
                try await merchant.payments.patch(
                    "/customers/\(customer)",
                    [
                        ["op": "replace", "path": "/customers/0/links/source", "value": .string(card)]
                    ]), 200)
            #expect(patched["customers"][0]["links"]["source"].string == card)

            let debit = try expectStatus(try await merchant.payments.post("/customers/\(customer)/debits", ["amount": 1234]), 201)["debits"][0]
            #expect(debit["links"]["customer"].string == customer)
            #expect(debit["links"]["source"].string == card)
            let cards = try expectStatus(try await merchant.payments.get("/customers/\(customer)/cards"), 200)
            #expect(cards["cards"].array?.map { $0["id"].string } == [card])
            let debits = try expectStatus(try await merchant.payments.get("/customers/\(customer)/debits"), 200)
            #expect(debits["debits"].array?.map { $0["id"] } == [debit["id"]])
            let resource = try expectStatus(try await merchant.payments.get("/resources/\(customer)"), 200)
            #expect(resource["customers"][0]["id"].string == customer)
        }
    }

    @Test(arguments: Modes.all)
    func deletesACustomerAndKeepsADeletedCardReadable(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let customer = try #require(try await merchant.customer(["name": "Gone"])["id"].string)
            let deleted = try await merchant.payments.delete("/customers/\(customer)")
            #expect(deleted.status == .noContent)
            #expect(deleted.body.readableBytes == 0)
            try expectError(try await merchant.payments.get("/customers/\(customer)"), 404, "not-found")

            let card = try #require(try await merchant.tokenize()["id"].string)
            #expect(try await merchant.payments.delete("/cards/\(card)").status == .noContent)
            try expectStatus(try await merchant.payments.get("/cards/\(card)"), 200)
            let list = try expectStatus(try await merchant.payments.get("/cards"), 200)
            #expect(list["cards"].array?.contains { $0["id"].string == card } == false)
        }
    }

    @Test(arguments: Modes.all)
    func patchesMetaAndRefusesAFailedTest(mode: StackMode) async throws {
        try await withStack(.payments, mode, configuration: .suite) { stack in
            let merchant = try await stack.openMarketplace()
            let card = try #require(try await merchant.tokenize()["id"].string)
            let patched = try expectStatus(
                try await merchant.payments.patch(
                    "/cards/\(card)",
                    [
                        ["op": "add", "path": "/cards/0/meta/color", "value": "blue"],
                        ["op": "add", "path": "/cards/0/meta/size", "value": "L"],
                        ["op": "move", "from": "/cards/0/meta/size", "path": "/cards/0/meta/fit"],
                        ["op": "test", "path": "/cards/0/meta/color", "value": "blue"],
                        ["op": "replace", "path": "/cards/0/meta/color", "value": "red"],
                    ]), 200)
            #expect(patched["cards"][0]["meta"] == ["color": "red", "fit": "L"])
            try expectError(
                try await merchant.payments.patch(
                    "/cards/\(card)",
                    [
                        ["op": "test", "path": "/cards/0/meta/color", "value": "blue"],
                        ["op": "remove", "path": "/cards/0/meta/color"],
                    ]), 409, "patch-test-failed")
            let unchanged = try expectStatus(try await merchant.payments.get("/cards/\(card)"), 200)
            #expect(unchanged["cards"][0]["meta"] == ["color": "red", "fit": "L"], "a failed patch changes nothing")
        }
    }
}
