import Foundation
import Hummingbird

/// Shipping's own request context.
public struct ShippingContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// The shipments scheduled, kept in memory.
public actor Shipments {
    struct Shipment: Codable, Sendable {
        let id: String
        let orderID: String
        let isbn: String
        let copies: Int
        let status: String

        enum CodingKeys: String, CodingKey {
            case id, isbn, copies, status
            case orderID = "order_id"
        }
    }

    private var shipments: [String: Shipment] = [:]

    public init() {}

    func add(_ shipment: Shipment) { shipments[shipment.id] = shipment }
    func shipment(_ id: String) -> Shipment? { shipments[id] }
}

struct NewShipment: Decodable {
    let orderID: String
    let isbn: String
    let copies: Int

    enum CodingKeys: String, CodingKey {
        case isbn, copies
        case orderID = "order_id"
    }
}

/// Shipping's routes: `POST /shipments` schedules one, `GET /shipments/{id}` reads it back.
public func buildShippingRouter(shipments: Shipments = Shipments()) -> Router<ShippingContext> {
    let router = Router(context: ShippingContext.self)
    router.get("/health") { _, _ in "ok" }
    router.post("/shipments") { request, context -> Response in
        let new = try await request.decode(as: NewShipment.self, context: context)
        let shipment = Shipments.Shipment(
            id: "SH" + UUID().uuidString.prefix(8), orderID: new.orderID, isbn: new.isbn, copies: new.copies, status: "scheduled")
        await shipments.add(shipment)
        var response = try JSONEncoder().encode(shipment, from: request, context: context)
        response.status = .created
        return response
    }
    router.get("/shipments/{id}") { request, context -> Response in
        let id = try context.parameters.require("id")
        guard let shipment = await shipments.shipment(id) else { throw HTTPError(.notFound, message: "No shipment \(id).") }
        return try JSONEncoder().encode(shipment, from: request, context: context)
    }
    return router
}
