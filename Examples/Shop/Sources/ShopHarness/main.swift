import Harness
import HarnessCommands
import ShopSystem

// `swift run shop-harness serve|contracts|coverage|bench|…`: the harness's commands for the shop, run from
// this package's root. `serve` is the suite's served mode (HARNESS_STAGING_URL=http://127.0.0.1:8080).
await HarnessTool(name: "shop-harness", system: .shop, acceptanceSuites: "^ShopTests\\.", bench: [.orderAndRestock]).main()

extension BenchScenario {
    /// An order of one copy (orders → catalog, orders → shipping), then a delivery of one copy, so the
    /// stock never runs out however many times it runs.
    static let orderAndRestock = BenchScenario(
        name: "order-and-restock", "POST /orders/orders + POST /catalog/books/{isbn}/deliveries", bareHops: ["shipping", "orders"]
    ) { stack in
        let (orders, catalog) = (stack.client("orders"), stack.client("catalog"))
        return Run {
            let order = try await orders.post("/orders", ["isbn": "9780262510875", "copies": 1])
            guard order.status == .created else { throw HarnessError("POST /orders/orders answered \(order.status.code): \(order.bodyText)") }
            let delivery = try await catalog.post("/books/9780262510875/deliveries", ["copies": 1])
            guard delivery.status == .created else {
                throw HarnessError("POST /catalog/books/…/deliveries answered \(delivery.status.code): \(delivery.bodyText)")
            }
        }
    }
}
