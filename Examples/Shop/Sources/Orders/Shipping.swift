import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// The one call orders makes with AsyncHTTPClient, as a protocol of its own: `HTTPClient` conforms as it
/// is, and a test (or a harness) can hand over anything else that sends the request.
public protocol HTTPExecutor: Sendable {
    func execute(_ request: HTTPClientRequest, timeout: TimeAmount, logger: Logger?) async throws -> HTTPClientResponse
}

extension HTTPClient: HTTPExecutor {}

/// What orders reads of a shipment shipping scheduled: its own view, not shipping's type.
public struct ScheduledShipment: Decodable, Sendable {
    public let id: String
    public let status: String
}

/// Shipping as orders sees it: a shipment scheduled for an order.
struct ShippingClient: Sendable {
    let http: any HTTPExecutor
    let baseURL: String

    struct Failed: Error, CustomStringConvertible {
        let status: UInt
        var description: String { "shipping answered \(status)" }
    }

    func schedule(order: String, isbn: String, copies: Int) async throws -> ScheduledShipment {
        var request = HTTPClientRequest(url: "\(baseURL)/shipments")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONSerialization.data(withJSONObject: ["order_id": order, "isbn": isbn, "copies": copies])
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .seconds(5), logger: nil)
        guard response.status == .created else { throw Failed(status: response.status.code) }
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(ScheduledShipment.self, from: Data(buffer: bytes))
    }
}
