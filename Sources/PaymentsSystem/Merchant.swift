import Foundation
import Harness
import ServiceKit

/// A marketplace opened on a stack: its secret, and clients that authenticate with it.
///
/// Each test opens its own, so its resources, fraud checks and dashboard are its own even on a
/// shared staging stack.
public struct Merchant: Sendable {
    public let secret: String
    public let marketplace: String
    public let payments: StackClient
    public let dashboard: StackClient
}

extension Stack {
    public var payments: StackClient { client(.payments) }
    public var dashboard: StackClient { client(.dashboard) }

    /// Creates an API key and its marketplace, as Balanced's own clients began.
    public func openMarketplace() async throws -> Merchant {
        try await Merchant.open(payments: payments, dashboard: dashboard)
    }
}

extension Merchant {
    /// Creates an API key and its marketplace through `payments`.
    static func open(payments: StackClient, dashboard: StackClient) async throws -> Merchant {
        let secret = try await payments.post("/api_keys", [:]).resource("api_keys", status: 201)["secret"].string
        guard let secret else { throw HarnessError("POST /payments/api_keys answered a key without a secret") }
        let authenticated = payments.authenticated(as: secret)
        let marketplace = try await authenticated.post("/marketplaces", [:]).resource("marketplaces", status: 201)
        guard let id = marketplace["id"].string else { throw HarnessError("POST /payments/marketplaces answered a marketplace without an id") }
        return Merchant(secret: secret, marketplace: id, payments: authenticated, dashboard: dashboard.authenticated(as: secret))
    }
}

extension ServiceResponse {
    /// The first resource of a Balanced envelope (`{"debits": [{…}], "links": …}`), after checking the status.
    ///
    /// A wrong status throws with the service's own error description, so a failed setup step reads as
    /// what the service said.
    public func resource(_ plural: String, status expected: Int) throws -> JSON {
        let json = self.json ?? .null
        guard status.code == expected else {
            let detail = json["errors"][0]["description"].string ?? bodyText
            throw HarnessError("expected \(expected), got \(status.code): \(detail)")
        }
        return json[plural][0]
    }
}

extension StackClient {
    /// The same client, authenticating with a payments API key's secret (HTTP Basic, empty password), as
    /// Balanced's clients do.
    public func authenticated(as secret: String) -> StackClient {
        var copy = self
        copy.headers[.authorization] = "Basic " + Data("\(secret):".utf8).base64EncodedString()
        return copy
    }
}
