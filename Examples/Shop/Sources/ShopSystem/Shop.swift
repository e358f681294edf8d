import AsyncHTTPClient
import Catalog
import Foundation
import Harness
import HarnessVapor
import Hummingbird
import Orders
import Shipping

extension SystemUnderTest {
    /// The shop as the harness runs it: each service's router hosted as it is, orders' generated client
    /// of catalog on the stack's transport (its answers checked against orders' copy of catalog's
    /// document), orders' AsyncHTTPClient calls to shipping sent through the stack, and shipping, a Vapor
    /// app, asking catalog with `req.client`.
    public static var shop: SystemUnderTest {
        SystemUnderTest([
            "catalog": { environment in
                var catalog = HummingbirdService("catalog", router: try buildCatalogRouter(), logger: environment.logger)
                catalog.document = try APIDocument(parsing: JSON(parsing: ByteBuffer(bytes: catalogDocument)))
                return catalog
            },
            "orders": { environment in
                let copy = try APIDocument(parsing: JSON(parsing: ByteBuffer(bytes: catalogDocumentCopy)))
                let dependencies = OrdersDependencies(
                    catalog: environment.clientTransport(to: "catalog", copy: copy), catalogURL: URL(string: "http://catalog")!,
                    shipping: StackHTTPClient(environment).reading(ScheduledShipment.self, from: "shipping", .post, "/shipments"),
                    shippingURL: "http://shipping")
                var orders = HummingbirdService("orders", router: buildOrdersRouter(dependencies), logger: environment.logger)
                orders.consumes = [PeerRoute("catalog", .post, "/books/{isbn}/reservations"), PeerRoute("shipping", .post, "/shipments")]
                return orders
            },
            "shipping": { environment in
                try VaporService(
                    "shipping", environment: environment, routes: ShippingRoutes(catalogURL: "http://catalog"),
                    consumes: [PeerRoute("catalog", .get, "/books/{isbn}")]
                ) { app in
                    // Its own SQLite file when served, a fresh in-memory database per stack otherwise.
                    let file = environment.dataDirectory?.appendingPathComponent("shipping.sqlite").path
                    try await configureShipping(app, database: file.map { .file($0) } ?? .memory)
                }
            },
        ])
    }
}

extension StackHTTPClient: HTTPExecutor {}
