import Foundation
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Balanced's test cards, and how the simulated issuer answers for them.
enum TestCard {
    /// Security code matches.
    static let visa: JSON = card("4111111111111111", cvv: "123")
    /// Security code does not match.
    static let cvvMismatch: JSON = card("5112000200000002", cvv: "200")
    /// The issuer does not check security codes.
    static let cvvUnsupported: JSON = card("4457000300000007", cvv: "901")

    /// Tokenizes, but its issuer declines every charge.
    static let declining: JSON = card("4444444444444448", cvv: "123")

    static func card(_ number: String, cvv: String?, month: Int = 12, year: Int = 2016) -> JSON {
        var fields: [String: JSON] = [
            "number": .string(number), "expiration_month": .number(Double(month)),
            "expiration_year": .number(Double(year)), "name": "Acceptance Suite",
        ]
        fields["cvv"] = cvv.map(JSON.string)
        return .object(fields)
    }
}

extension Merchant {
    /// Tokenizes through payments and returns the card resource.
    func tokenize(_ card: JSON = TestCard.visa, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSON {
        let body = try expectStatus(try await payments.post("/cards", card), 201, sourceLocation: sourceLocation)
        return body["cards"][0]
    }

    /// Debits a tokenized card and returns the debit resource.
    func debit(
        _ card: JSON, amount: Int, description: String = "acceptance",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSON {
        let id = try #require(card["id"].string, sourceLocation: sourceLocation)
        let response = try await payments.post("/cards/\(id)/debits", ["amount": .number(Double(amount)), "description": .string(description)])
        return try expectStatus(response, 201, sourceLocation: sourceLocation)["debits"][0]
    }
}

extension Merchant {
    /// Places a hold on a tokenized card and returns the hold.
    func hold(_ card: JSON, amount: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSON {
        let id = try #require(card["id"].string, sourceLocation: sourceLocation)
        let response = try await payments.post("/cards/\(id)/card_holds", ["amount": .number(Double(amount))])
        return try expectStatus(response, 201, sourceLocation: sourceLocation)["card_holds"][0]
    }

    /// Creates a customer from the given fields and returns it.
    func customer(_ fields: JSON, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSON {
        try expectStatus(try await payments.post("/customers", fields), 201, sourceLocation: sourceLocation)["customers"][0]
    }
}

/// A marker unique to one test run, so assertions hold among other tests' data at staging.
func uniqueMarker(_ label: String) -> String { "\(label)-\(IDs.random(10))" }
