import Fluent
import FluentSQLiteDriver
import Vapor

/// Shipping's setup, as its `configure` does it: its own SQLite database (Fluent), migrated.
public func configureShipping(_ app: Application, database: SQLiteConfiguration = .memory) async throws {
    app.databases.use(.sqlite(database), as: .sqlite)
    app.migrations.add(CreateShipments())
    try await app.autoMigrate()
}

/// Shipping's routes: `POST /shipments` schedules one, with the book's title from catalog on its label;
/// `GET /shipments/:id` reads it back.
public struct ShippingRoutes: RouteCollection, Sendable {
    /// Where catalog answers (`CATALOG_URL` in production).
    public let catalogURL: String

    public init(catalogURL: String) {
        self.catalogURL = catalogURL
    }

    public func boot(routes: any RoutesBuilder) throws {
        routes.get("health") { _ in "ok" }
        routes.post("shipments", use: schedule)
        routes.get("shipments", ":id", use: show)
    }

    func schedule(request: Request) async throws -> Response {
        let new = try request.content.decode(NewShipment.self)
        guard new.copies > 0 else { throw Abort(.badRequest, reason: "copies must be at least 1") }
        let answer = try await request.client.get(URI(string: "\(catalogURL)/books/\(new.isbn)"))
        guard answer.status != .notFound else { throw Abort(.notFound, reason: "No book \(new.isbn) at catalog.") }
        guard answer.status == .ok else { throw Abort(.badGateway, reason: "catalog answered \(answer.status.code) for \(new.isbn)") }
        let book = try answer.content.decode(CatalogBook.self)
        let shipment = Shipment(
            id: "SH" + UUID().uuidString.prefix(8), orderID: new.orderID, isbn: new.isbn, title: book.title, copies: new.copies)
        try await shipment.create(on: request.db)
        return try await ShipmentView(of: shipment).encodeResponse(status: .created, for: request)
    }

    func show(request: Request) async throws -> ShipmentView {
        let id = try request.parameters.require("id")
        guard let shipment = try await Shipment.find(id, on: request.db) else { throw Abort(.notFound, reason: "No shipment \(id).") }
        return ShipmentView(of: shipment)
    }
}

/// What shipping reads of a book at catalog: the title for the label. Its own view, not catalog's type.
struct CatalogBook: Content {
    let title: String
}

struct NewShipment: Content {
    let orderID: String
    let isbn: String
    let copies: Int

    enum CodingKeys: String, CodingKey {
        case isbn, copies
        case orderID = "order_id"
    }
}

struct ShipmentView: Content {
    let id: String
    let orderID: String
    let isbn: String
    let title: String
    let copies: Int
    let status: String

    enum CodingKeys: String, CodingKey {
        case id, isbn, title, copies, status
        case orderID = "order_id"
    }

    init(of shipment: Shipment) {
        (id, orderID, isbn, title, copies, status) = (
            shipment.id ?? "", shipment.orderID, shipment.isbn, shipment.title, shipment.copies, shipment.status
        )
    }
}
