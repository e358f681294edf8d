import Foundation
import Harness
import NIOCore
import ShopSystem
import Testing

extension HarnessConfiguration {
    /// The suite's run: the shop's recorded contracts, and the mode the environment names
    /// (`HARNESS_TRANSPORT=loopback`, `HARNESS_STAGING_URL=http://127.0.0.1:8080` for `swift run shop-harness serve`).
    static let shop = testRun(
        environment: ProcessInfo.processInfo.environment,
        contracts: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../contracts").standardizedFileURL.path,
        currentTest: { Test.current.map { "\($0.id)" } })

    /// Whether the suite runs against a served stack, where nothing in this process can be looked into.
    static var atStaging: Bool { if case .staging = shop.mode { true } else { false } }
}

/// The shop, end to end: a merchant's order goes to orders, which reserves the copies at catalog (a
/// generated client), schedules the shipment at shipping (AsyncHTTPClient) and keeps the order.
@Suite struct ShopTests {
    static let sicp = "9780262510875"

    @Test(arguments: HarnessConfiguration.shop.modes)
    func ordersABookReservingItsCopiesAndShippingIt(mode: StackMode) async throws {
        try await withStack(.shop, mode, configuration: .shop) { stack in
            let before = try #require(try await stack.client("catalog").get("/books/\(Self.sicp)").json?["in_stock"].int)
            let placed = try await stack.client("orders").post("/orders", ["isbn": .string(Self.sicp), "copies": 2])
            #expect(placed.status == .created, "\(placed.bodyText)")
            let order = try #require(placed.json)
            #expect(order["total_cents"] == 11000 && order["copies"] == 2)
            let shipment = try #require(order["shipment"].string)
            let shipped = try await stack.client("shipping").get("/shipments/\(shipment)")
            #expect(shipped.json?["status"] == "scheduled" && shipped.json?["order_id"] == order["id"], "\(shipped.bodyText)")
            #expect(shipped.json?["title"] == "Structure and Interpretation of Computer Programs")
            #expect(try await stack.client("catalog").get("/books/\(Self.sicp)").json?["in_stock"].int == before - 2)
            let read = try await stack.client("orders").get("/orders/\(try #require(order["id"].string))")
            #expect(read.json == order)
        }
    }

    @Test(arguments: HarnessConfiguration.shop.modes)
    func schedulesAShipmentLabelledWithTheBooksTitleFromCatalog(mode: StackMode) async throws {
        try await withStack(.shop, mode, configuration: .shop) { stack in
            let shipping = stack.client("shipping")
            let scheduled = try await shipping.post("/shipments", ["order_id": "O-1", "isbn": .string(Self.sicp), "copies": 1])
            #expect(scheduled.status == .created, "\(scheduled.bodyText)")
            #expect(scheduled.json?["title"] == "Structure and Interpretation of Computer Programs" && scheduled.json?["status"] == "scheduled")
            let unknown = try await shipping.post("/shipments", ["order_id": "O-2", "isbn": "0000000000000", "copies": 1])
            #expect(unknown.status == .notFound && unknown.json?["reason"] == "No book 0000000000000 at catalog.", "\(unknown.bodyText)")
            let none = try await shipping.post("/shipments", ["order_id": "O-3", "isbn": .string(Self.sicp), "copies": 0])
            #expect(none.status == .badRequest, "\(none.bodyText)")
            let malformed = try await shipping.post("/shipments", ["order_id": "O-4"])
            #expect(malformed.status == .badRequest && malformed.json?["error"] == true, "\(malformed.bodyText)")
        }
    }

    @Test(arguments: HarnessConfiguration.shop.modes)
    func refusesAnOrderForMoreCopiesThanAreLeft(mode: StackMode) async throws {
        try await withStack(.shop, mode, configuration: .shop) { stack in
            let refused = try await stack.client("orders").post("/orders", ["isbn": "9780201633610", "copies": 5])
            #expect(refused.status == .conflict && refused.json?["detail"] == "Only 1 left.", "\(refused.bodyText)")
        }
    }

    @Test(arguments: HarnessConfiguration.shop.modes)
    func aDeliveryPutsCopiesInStockForTheNextOrder(mode: StackMode) async throws {
        try await withStack(.shop, mode, configuration: .shop) { stack in
            let (catalog, orders) = (stack.client("catalog"), stack.client("orders"))
            let kandr = "9780131103627"
            let before = try #require(try await catalog.get("/books/\(kandr)").json?["in_stock"].int)
            let delivered = try await catalog.post("/books/\(kandr)/deliveries", ["copies": 2])
            #expect(delivered.status == .created && delivered.json?["in_stock"].int == before + 2, "\(delivered.bodyText)")
            let placed = try await orders.post("/orders", ["isbn": .string(kandr), "copies": 2])
            #expect(placed.status == .created, "\(placed.bodyText)")
            let none = try await catalog.post("/books/\(kandr)/deliveries", ["copies": 0])
            #expect(none.status == .badRequest && none.json?["detail"] == "copies must be at least 1", "\(none.bodyText)")
            let unknown = try await catalog.post("/books/0000000000000/deliveries", ["copies": 1])
            #expect(unknown.status == .notFound, "\(unknown.bodyText)")
        }
    }
}

/// What only a stack in this process shows: the call tree, faults, edges and drift, across services
/// that know nothing of the harness.
@Suite(.disabled(if: HarnessConfiguration.atStaging, "looks into the stack, which a served one does not let"))
struct ShopInProcessTests {
    @Test(arguments: HarnessConfiguration.shop.modes)
    func showsEachHopUnderTheRequestThatMadeIt(mode: StackMode) async throws {
        try await withStack(.shop, mode, configuration: .shop) { stack in
            _ = try await stack.client("orders").post("/orders", ["isbn": .string(ShopTests.sicp), "copies": 1])
            let tree = try stack.callTree()
            let order = try #require(tree.roots.first { $0.exchange.route == "POST /orders" })
            #expect(
                order.children.map { "\($0.exchange.caller?.rawValue ?? "client") → \($0.exchange.callee) \($0.exchange.route)" } == [
                    "orders → catalog POST /books/\(ShopTests.sicp)/reservations", "orders → shipping POST /shipments",
                ], "\(tree)")
            // Hummingbird to Vapor to Hummingbird: shipping's `req.client` call sits under the hop that made it.
            let shipping = try #require(order.children.last)
            #expect(
                shipping.children.map { "\($0.exchange.caller?.rawValue ?? "client") → \($0.exchange.callee) \($0.exchange.route)" } == [
                    "shipping → catalog GET /books/\(ShopTests.sicp)"
                ], "\(tree)")
        }
    }

    @Test func aFailingShippingIsAFaultLikeAnyOtherHop() async throws {
        try await withStack(.shop, .inMemory, configuration: .shop) { stack in
            try stack.inject(.status(503), into: "shipping", from: "orders", route: "POST /shipments")
            let placed = try await stack.client("orders").post("/orders", ["isbn": .string(ShopTests.sicp), "copies": 1])
            #expect(placed.status == .badGateway && placed.json?["detail"] == "shipping answered 503", "\(placed.bodyText)")
            let injected = try stack.injectedFaults()
            #expect(
                injected.count == 1 && injected.first?.caller == "orders" && injected.first?.route.hasSuffix("POST /shipments") == true, "\(injected)"
            )
        }
    }

    @Test func aFaultBetweenVaporAndHummingbirdReachesTheOrder() async throws {
        try await withStack(.shop, .inMemory, configuration: .shop) { stack in
            try stack.inject(.status(503), into: "catalog", from: "shipping", route: "GET /books/{isbn}")
            let placed = try await stack.client("orders").post("/orders", ["isbn": .string(ShopTests.sicp), "copies": 1])
            #expect(placed.status == .badGateway && placed.json?["detail"] == "shipping answered 502", "\(placed.bodyText)")
            #expect(try stack.injectedFaults().map(\.caller) == ["shipping"])
        }
    }

    @Test func namesTheFieldWhenCatalogRenamesWhatShippingReads() async throws {
        let error = await #expect(throws: ContractDrift.self) {
            try await withStack(.shop, .inMemory, configuration: HarnessConfiguration(contracts: .none)) { stack in
                // Catalog answers shipping, a Vapor app, as a build that renamed title would.
                try stack.intercept("catalog", from: "shipping") { request, next in
                    var response = try await next(request)
                    response.body = ByteBuffer(string: response.bodyText.replacingOccurrences(of: "\"title\"", with: "\"book_title\""))
                    return response
                }
                let placed = try await stack.client("orders").post("/orders", ["isbn": .string(ShopTests.sicp), "copies": 1])
                #expect(placed.status == .badGateway, "\(placed.bodyText)")
            }
        }
        let drift = try #require(error?.drift.first)
        #expect(drift.consumer == "shipping" && drift.provider == "catalog" && drift.route == "GET /books/{isbn}", "\(error!)")
        #expect(drift.field == "title" && drift.likelyRename == "book_title" && drift.kind == DriftKind.requiredFieldMissing, "\(error!)")
    }

    @Test func stacksSideBySideNeverSeeEachOthersVaporReads() async throws {
        // Vapor's decoder is one for the process: two stacks at once, one whose catalog renames title for
        // shipping; the drift is that stack's alone, and the other records shipping's reads as they are.
        async let renamed: Error? = {
            do {
                try await withStack(.shop, .inMemory, configuration: HarnessConfiguration(contracts: .none)) { stack in
                    try stack.intercept("catalog", from: "shipping") { request, next in
                        var response = try await next(request)
                        response.body = ByteBuffer(string: response.bodyText.replacingOccurrences(of: "\"title\"", with: "\"book_title\""))
                        return response
                    }
                    for _ in 0..<20 {
                        _ = try await stack.client("shipping").post("/shipments", ["order_id": "O", "isbn": .string(ShopTests.sicp), "copies": 1])
                    }
                }
                return nil
            } catch { return error }
        }()
        try await withStack(.shop, .inMemory, configuration: HarnessConfiguration(contracts: .none)) { stack in
            for _ in 0..<20 {
                let scheduled = try await stack.client("shipping").post(
                    "/shipments", ["order_id": "O", "isbn": .string(ShopTests.sicp), "copies": 1])
                #expect(scheduled.status == .created, "\(scheduled.bodyText)")
            }
            let contract = try #require(try stack.contracts().contracts.first { $0.consumer == "shipping" && $0.provider == "catalog" })
            #expect(contract.interactions.first?.fields.map(\.path) == ["title"])
        }
        let drift = try #require(await renamed as? ContractDrift)
        #expect(!drift.drift.isEmpty && drift.drift.allSatisfy { $0.consumer == "shipping" && $0.likelyRename == "book_title" }, "\(drift)")
    }

    @Test func namesTheFieldWhenCatalogRenamesWhatOrdersReads() async throws {
        let error = await #expect(throws: ContractDrift.self) {
            try await withStack(.shop, .inMemory, configuration: HarnessConfiguration(contracts: .none)) { stack in
                // Catalog answers as a build that renamed price_cents would.
                try stack.intercept("catalog", from: "orders") { request, next in
                    var response = try await next(request)
                    let renamed = response.bodyText.replacingOccurrences(of: "\"price_cents\"", with: "\"price_in_cents\"")
                    response.body = ByteBuffer(string: renamed)
                    return response
                }
                _ = try await stack.client("orders").post("/orders", ["isbn": .string(ShopTests.sicp), "copies": 1])
            }
        }
        let drift = try #require(error?.drift.first)
        #expect(drift.consumer == "orders" && drift.provider == "catalog" && drift.route == "POST /books/{isbn}/reservations")
        #expect(drift.field == "price_cents" && drift.likelyRename == "price_in_cents" && drift.kind == DriftKind.requiredFieldMissing)
        #expect(error?.description.contains("likely rename of `price_cents` to `price_in_cents`") == true, "\(error!)")
    }

    @Test func recordsWhatOrdersReadsOfCatalogAsItsContract() async throws {
        try await withStack(.shop, .inMemory, configuration: HarnessConfiguration(contracts: .none)) { stack in
            _ = try await stack.client("orders").post("/orders", ["isbn": .string(ShopTests.sicp), "copies": 1])
            let contract = try #require(try stack.contracts().contracts.first { $0.consumer == "orders" && $0.provider == "catalog" })
            let reservation = try #require(contract.interactions.first { $0.route == "POST /books/{isbn}/reservations" })
            #expect(reservation.status == 201 && reservation.view == "reserveCopies")
            #expect(reservation.fields.filter(\.required).map(\.path) == ["in_stock", "isbn", "price_cents", "title"])
            // Its hand-written view of shipping's answer, read through AsyncHTTPClient.
            let shipping = try #require(try stack.contracts().contracts.first { $0.consumer == "orders" && $0.provider == "shipping" })
            #expect(shipping.interactions.map(\.route) == ["POST /shipments"])
            #expect(shipping.interactions.first?.fields.map(\.path) == ["id", "status"] && shipping.interactions.first?.view == "ScheduledShipment")
            // Shipping, a Vapor app, reports the request fields its `Content` type decodes.
            #expect(shipping.interactions.first?.requestRead.map(\.path) == ["copies", "isbn", "order_id"])
            // And what its `Content` view of catalog's book reads, from Vapor's own decoding.
            let title = try #require(try stack.contracts().contracts.first { $0.consumer == "shipping" && $0.provider == "catalog" })
            #expect(title.interactions.map(\.route) == ["GET /books/{isbn}"] && title.interactions.first?.view == "CatalogBook")
            #expect(title.interactions.first?.fields.map(\.path) == ["title"])
        }
    }
}
