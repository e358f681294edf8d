import AsyncHTTPClient
import Catalog
import Foundation
import Harness
import Hummingbird
import Orders
import Shipping

extension SystemUnderTest {
    /// The shop as the harness runs it: each service's router hosted as it is, orders' generated client
    /// of catalog on the stack's transport (its answers checked against orders' copy of catalog's
    /// document), and orders' AsyncHTTPClient calls to shipping sent through the stack.
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
            "shipping": { environment in HummingbirdService("shipping", router: buildShippingRouter(), logger: environment.logger) },
        ])
    }
}

extension StackHTTPClient: HTTPExecutor {}
