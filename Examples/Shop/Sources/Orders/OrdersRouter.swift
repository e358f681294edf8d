import Foundation
import Hummingbird
import OpenAPIRuntime

/// Orders' own request context.
public struct OrdersContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// What orders needs from outside: how to reach catalog (the transport of its generated client) and
/// shipping (an AsyncHTTPClient, or anything that sends its request).
public struct OrdersDependencies: Sendable {
    public var catalog: any ClientTransport
    public var catalogURL: URL
    public var shipping: any HTTPExecutor
    public var shippingURL: String

    public init(catalog: any ClientTransport, catalogURL: URL, shipping: any HTTPExecutor, shippingURL: String) {
        self.catalog = catalog
        self.catalogURL = catalogURL
        self.shipping = shipping
        self.shippingURL = shippingURL
    }
}

struct NewOrder: Decodable {
    let isbn: String
    let copies: Int
}

struct Problem: ResponseEncodable {
    let title: String
    let status: Int
    let detail: String
}

/// Orders' routes: `POST /orders` reserves the copies at catalog, schedules a shipment and keeps the
/// order; `GET /orders/{id}` reads one back.
public func buildOrdersRouter(_ dependencies: OrdersDependencies, book: OrderBook = OrderBook()) -> Router<OrdersContext> {
    let catalog = Client(serverURL: dependencies.catalogURL, transport: dependencies.catalog)
    let shipping = ShippingClient(http: dependencies.shipping, baseURL: dependencies.shippingURL)
    let router = Router(context: OrdersContext.self)
    router.get("/health") { _, _ in "ok" }
    router.post("/orders") { request, context -> Response in
        let wanted = try await request.decode(as: NewOrder.self, context: context)
        guard wanted.copies > 0 else { return try problem(.badRequest, "copies must be at least 1", request, context) }
        switch try await catalog.reserveCopies(path: .init(isbn: wanted.isbn), body: .json(.init(copies: wanted.copies))) {
        case .created(let created):
            let reserved = try created.body.json
            let id = "OR" + UUID().uuidString.prefix(8)
            let shipment: ScheduledShipment
            do {
                shipment = try await shipping.schedule(order: id, isbn: wanted.isbn, copies: wanted.copies)
            } catch let failed as ShippingClient.Failed {
                return try problem(.badGateway, failed.description, request, context)
            }
            let order = OrderBook.Order(
                id: id, isbn: reserved.isbn, copies: wanted.copies, totalCents: reserved.priceCents * wanted.copies, shipment: shipment.id)
            await book.add(order)
            return try json(order, status: .created, request, context)
        case .notFound:
            return try problem(.notFound, "No book \(wanted.isbn).", request, context)
        case .badRequest(let refusal):
            return try problem(.badRequest, (try? refusal.body.json.detail) ?? "catalog refused the reservation", request, context)
        case .conflict(let conflict):
            return try problem(.conflict, (try? conflict.body.json.detail) ?? "Not enough copies.", request, context)
        case .undocumented(let status, _):
            return try problem(.badGateway, "catalog answered \(status)", request, context)
        }
    }
    router.get("/orders/{id}") { request, context -> Response in
        let id = try context.parameters.require("id")
        guard let order = await book.order(id) else { return try problem(.notFound, "No order \(id).", request, context) }
        return try json(order, status: .ok, request, context)
    }
    return router
}

private func json(_ value: some Encodable, status: HTTPResponse.Status, _ request: Request, _ context: OrdersContext) throws -> Response {
    var response = try JSONEncoder().encode(value, from: request, context: context)
    response.status = status
    return response
}

private func problem(_ status: HTTPResponse.Status, _ detail: String, _ request: Request, _ context: OrdersContext) throws -> Response {
    try json(Problem(title: status.reasonPhrase, status: Int(status.code), detail: detail), status: status, request, context)
}

/// The copy of catalog's document that orders' client is generated from.
public let catalogDocumentCopy: Data = {
    guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
        preconditionFailure("openapi.json is a resource of the target")
    }
    return data
}()
