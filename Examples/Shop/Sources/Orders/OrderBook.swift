import Foundation

/// The orders taken, kept in memory.
public actor OrderBook {
    public struct Order: Codable, Sendable {
        public var id: String
        public var isbn: String
        public var copies: Int
        public var totalCents: Int
        public var shipment: String

        enum CodingKeys: String, CodingKey {
            case id, isbn, copies, shipment
            case totalCents = "total_cents"
        }
    }

    private var orders: [String: Order] = [:]

    public init() {}

    func add(_ order: Order) { orders[order.id] = order }
    func order(_ id: String) -> Order? { orders[id] }
}
