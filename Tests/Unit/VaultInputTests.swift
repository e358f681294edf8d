@preconcurrency import Crypto
import Harness
import PaymentsSystem
import ServiceKit
import Testing

@testable import PartnerSandbox
@testable import Vault

@Suite struct VaultInputTests {
    @Test func readsABillingAddressLineByLine() throws {
        let input = try CardInput([
            "number": "4111111111111111", "expiration_month": 1, "expiration_year": 2030,
            "address": ["line1": "965 Mission St", "postal_code": 94103, "country_code": "US", "city": nil],
        ])
        #expect(input.address.lines == ["line1": "965 Mission St", "postal_code": "94103", "country_code": "US"])
        #expect(input.address.json["city"] == .null)
        #expect(try CardInput(["number": "4111111111111111", "expiration_month": 1, "expiration_year": 2030, "address": nil]).address.lines.isEmpty)
    }

    @Test(arguments: [
        (["address": "965 Mission St"] as JSON, "address:"),
        (["address": ["line1": 5.5]] as JSON, "address.line1:"),
        (["address": ["country_code": "UNITED"]] as JSON, "address.country_code:"),
        (["address": ["country_code": "us"]] as JSON, "address.country_code:"),
        (["number": "41111111111"] as JSON, "number: must be 13 to 19 digits"),
        (["number": "411111111113"] as JSON, "number: must be 13 to 19 digits"),
    ])
    func namesWhatIsWrongWithAnAddressOrNumber(overrides: JSON, problem: String) {
        var fields: [String: JSON] = ["number": "4111111111111111", "expiration_month": 1, "expiration_year": 2030]
        for (key, value) in overrides.object ?? [:] { fields[key] = value }
        #expect { try CardInput(.object(fields)) } throws: { error in
            (error as? ServiceError)?.detail.hasPrefix(problem) == true && (error as? ServiceError)?.status == .badRequest
        }
    }

    @Test func refusesABodyThatIsNotAnObject() {
        #expect { try CardInput(["4111111111111111"]) } throws: { ($0 as? ServiceError)?.detail == "The request body must be a JSON object." }
    }

    @Test(
        arguments: [
            ("94301", nil, nil, "yes"), ("90210", nil, nil, "no"), ("90211", nil, nil, "unsupported"),
            ("94103", "965 Mission St", "yes", "yes"), ("94103", "21 Jump St", "no", "yes"),
            ("90211", "965 Mission St", "unsupported", "unsupported"), (nil, "965 Mission St", nil, nil),
        ] as [(String?, String?, String?, String?)])
    func verifiesAddressesAsBalancedsTestValuesAnswer(postal: String?, line1: String?, street: String?, postalMatch: String?) {
        let result = CardNetwork.addressMatch(TestCards.addressAnswer(zip: postal, street: line1), streetSent: line1 != nil)
        #expect(result.street == street)
        #expect(result.postal == postalMatch)
    }

    @Test func refusesACardOfNoKnownBrandAndAnUnknownToken() async throws {
        let (transport, _) = try Isolated.vault()
        let vault = transport.client(.vault)
        // A number that passes the Luhn check but belongs to no brand vault accepts.
        let unknown = try await vault.post("/cards", ["number": "9111111111111110", "expiration_month": 1, "expiration_year": 2030])
        #expect(unknown.status == .conflict)
        #expect(unknown.json?["errors"][0]["category_code"] == "card-not-validated")
        #expect(unknown.json?["errors"][0]["extras"]["number"] == "unsupported card brand")
        let missing = try await vault.get("/cards/CCnothing")
        #expect(missing.status == .notFound)
        let other = try await vault.post(
            "/cards", ["number": "4111111111111111", "expiration_month": 1, "expiration_year": 2030],
            headers: [.tenant: "MP1"])
        let id = try #require(other.json?["id"].string)
        #expect(try await vault.get("/cards/\(id)", headers: [.tenant: "MP2"]).status == .notFound, "another marketplace's card")
        #expect(try await vault.get("/cards/\(id)", headers: [.tenant: "MP1"]).status == .ok)
    }
}
