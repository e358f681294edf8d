import GRDB
import Harness
import Hummingbird
import ServiceKit
import Testing

// Two services of a small shop, declared here and nowhere else: the harness runs any services built on
// ServiceKit, not only the payments system.

/// Stock: how many of an item are left. `renamesAvailable` is the careless refactor.
struct StockService: ServiceApp {
    let name: ServiceName = "stock"
    let database: ServiceDatabase
    let renamesAvailable: Bool

    init(environment: ServiceEnvironment, renamesAvailable: Bool = false) throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "item") { t in
                t.primaryKey("sku", .text)
                t.column("available", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO item (sku, available) VALUES ('A1', 3)")
        }
        database = try environment.database.open("toy-stock", migrator: migrator)
        self.renamesAvailable = renamesAvailable
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/items/{sku}") { _, context in
            let sku = try context.parameters.require("sku")
            guard let available = try await database.read({ try Int.fetchOne($0, sql: "SELECT available FROM item WHERE sku = ?", arguments: [sku]) })
            else { throw ServiceError.notFound("Item \(sku)") }
            return Response.json(["sku": .string(sku), renamesAvailable ? "in_stock" : "available": .number(Double(available))])
        }
    }
}

/// Orders: takes an order if stock has the item; reads stock's answer as its own view. With
/// `awardsPoints` it also credits the customer at loyalty, the service `AddAServiceTests` adds.
struct OrdersService: ServiceApp {
    let name: ServiceName = "orders"
    let database: ServiceDatabase
    let peers: ServiceClient
    let awardsPoints: Bool

    struct StockLevel: Decodable { var available: Int }

    init(environment: ServiceEnvironment, awardsPoints: Bool = false) throws {
        self.awardsPoints = awardsPoints
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "order") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sku", .text).notNull()
            }
        }
        database = try environment.database.open("toy-orders", migrator: migrator)
        peers = environment.peers(as: name)
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/orders") { request, context in
            let body = try await request.json(context: context)
            let sku = body["sku"].string ?? ""
            let stock: StockLevel = try await peers.call("stock", .get, "/items/\(sku)", route: "GET /items/{sku}")
            guard stock.available > 0 else { throw ServiceError(.conflict, "sold-out", "\(sku) is sold out.") }
            try await database.write { try $0.execute(sql: "INSERT INTO \"order\" (sku) VALUES (?)", arguments: [sku]) }
            guard awardsPoints, let customer = body["customer"].string else {
                return Response.json(["sku": .string(sku), "status": "placed"], status: .created)
            }
            let points = try await LoyaltyClient(peers: peers).award(10, to: customer)
            return Response.json(["sku": .string(sku), "status": "placed", "points_balance": .number(Double(points.balance))], status: .created)
        }
    }
}

extension OrdersService {
    /// The routes of other services orders calls; loyalty's only once it awards points.
    var consumes: [PeerRoute] { [PeerRoute("stock", .get, "/items/{sku}")] + (awardsPoints ? [LoyaltyClient.credit] : []) }
}

func shop(renamesAvailable: Bool = false) -> SystemUnderTest {
    SystemUnderTest([
        "orders": { try OrdersService(environment: $0) },
        "stock": { try StockService(environment: $0, renamesAvailable: renamesAvailable) },
    ])
}

@Suite struct OwnServicesTests {
    @Test(arguments: [StackMode.inMemory, .loopback])
    func runsAStackOfAnyServices(mode: StackMode) async throws {
        try await withStack(shop(), mode, contracts: .none) { stack in
            let placed = try await stack.client("orders").post("/orders", ["sku": "A1"])
            #expect(placed.status == .created, "\(placed.bodyText)")
            #expect(
                try stack.exchanges().map(\.description).map { $0.components(separatedBy: " (")[0] } == [
                    "orders → stock GET /items/A1 200", "client → orders POST /orders 201",
                ])
            let count = try await stack.database("orders").read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \"order\"") }
            #expect(count == 1)
        }
    }

    @Test(arguments: [StackMode.inMemory, .loopback])
    func catchesAProviderRenamingAFieldItsConsumerReads(mode: StackMode) async throws {
        let failed = await #expect(throws: ContractDrift.self) {
            try await withStack(shop(renamesAvailable: true), mode, contracts: .none) { stack in
                let refused = try await stack.client("orders").post("/orders", ["sku": "A1"])
                #expect(refused.status == .badGateway)
                let error = try #require(refused.json?["errors"][0])
                #expect(error["category_code"] == "contract-violation")
                let drift = try #require(Drift(json: error["extras"]["drift"]), "\(error)")
                #expect(
                    drift
                        == Drift(
                            consumer: "orders", provider: "stock", route: "GET /items/{sku}", field: "available",
                            kind: .requiredFieldMissing, detail: drift.detail, likelyRename: "in_stock"))
            }
        }
        #expect(failed?.drift.map(\.kind) == [.requiredFieldMissing], "the stack fails the test whatever it asserted")
    }

    @Test func refusesAServiceRegisteredUnderAnotherName() throws {
        let wrong = SystemUnderTest(["inventory": { try StockService(environment: $0) }])
        #expect(throws: HarnessError.self) { try Stack.inMemory(wrong, contracts: .none) }
    }

    @Test func aStackLetsGoOfItsServicesWhenItGoes() async throws {
        weak var database: AnyObject?
        do {
            let stack = try Stack.inMemory(shop(), contracts: .none)
            let placed = try await stack.client("orders").post("/orders", ["sku": "A1"])
            #expect(placed.status == .created)
            database = try stack.database("stock") as AnyObject
            #expect(database != nil)
        }
        #expect(database == nil, "a stack's services and transport hold each other; the stack must break that when it goes")
    }
}
