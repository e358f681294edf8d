import Fluent

/// A shipment scheduled for an order, kept by Fluent.
final class Shipment: Model, @unchecked Sendable {
    static let schema = "shipments"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "order_id") var orderID: String
    @Field(key: "isbn") var isbn: String
    @Field(key: "title") var title: String
    @Field(key: "copies") var copies: Int
    @Field(key: "status") var status: String

    init() {}

    init(id: String, orderID: String, isbn: String, title: String, copies: Int) {
        self.id = id
        self.orderID = orderID
        self.isbn = isbn
        self.title = title
        self.copies = copies
        self.status = "scheduled"
    }
}

struct CreateShipments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Shipment.schema)
            .field("id", .string, .identifier(auto: false))
            .field("order_id", .string, .required)
            .field("isbn", .string, .required)
            .field("title", .string, .required)
            .field("copies", .int, .required)
            .field("status", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Shipment.schema).delete()
    }
}
