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
    /// Creates an API key and its marketplace, as Balanced's own clients began.
    public func openMarketplace() async throws -> Merchant {
        let key = try await payments.post("/api_keys", [:])
        guard key.status == .created, let secret = key.json?["api_keys"][0]["secret"].string else {
            throw HarnessError("POST /payments/api_keys answered \(key.status.code): \(key.bodyText)")
        }
        let authenticated = payments.authenticated(as: secret)
        let marketplace = try await authenticated.post("/marketplaces", [:])
        guard marketplace.status == .created, let id = marketplace.json?["marketplaces"][0]["id"].string else {
            throw HarnessError("POST /payments/marketplaces answered \(marketplace.status.code): \(marketplace.bodyText)")
        }
        return Merchant(secret: secret, marketplace: id, payments: authenticated, dashboard: dashboard.authenticated(as: secret))
    }
}
