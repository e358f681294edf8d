import Foundation
import GRDB
import Harness
import Hummingbird
import ServiceKit
import Testing

// The README's "Add a service" checklist, done on a toy system and asserted step by step: the shop of
// `OwnServicesTests` (orders, stock) gains loyalty, an internal service orders calls after each order.
// The numbers in the comments are the checklist's; a step that only the repository has (Package.swift,
// DeployEnvironment.startOrder, coverage.json, scripts/check-service-imports) has no toy equivalent here.

/// Loyalty: the points each customer has earned, in a database of its own. Step 1, the service: in the
/// repository its own target under `Sources/Services/Loyalty`.
struct LoyaltyService: ServiceApp {
    let name: ServiceName = "loyalty"
    let database: ServiceDatabase
    /// Who may credit points; orders, unless a test leaves it out of the access list.
    let creditors: [ServiceName]

    /// Step 3: its migrations, named, never edited once landed; registered with the system below.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "balance") { t in
                t.primaryKey("customer", .text)
                t.column("points", .integer).notNull()
            }
        }
        return migrator
    }

    init(environment: ServiceEnvironment, creditors: [ServiceName] = ["orders"]) throws {
        database = try environment.database.open("toy-loyalty", migrator: Self.migrator)
        self.creditors = creditors
    }

    /// Step 6: trust. Internal: every route listed with the services that may call it.
    var access: ServiceAccess {
        .internalOnly([
            RouteAccess(.post, "/points", callers: creditors.first ?? "nobody"),
            RouteAccess(.get, "/points/{customer}", callers: "orders"),
        ])
    }

    /// Step 5: its OpenAPI document, which every answer it gives is checked against.
    var apiDocument: APIDocument? { Self.document }

    static let document = APIDocument(
        title: "loyalty", summary: "Points customers have earned.", security: .serviceCredential,
        operations: [
            .init(
                .post, "/points", "Credits a customer with points.",
                request: .object(["customer": .string, "points": .integer(1...1000)]), responses: ["201": "Balance"]),
            .init(.get, "/points/{customer}", "A customer's balance.", responses: ["200": "Balance"]),
        ],
        schemas: ["Balance": .object(["customer": .string, "balance": .integer])], errors: .balanced)

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/points") { request, context in
            let body = try await request.json(context: context)
            guard let customer = body["customer"].string, let points = body["points"].int, (1...1000).contains(points) else {
                throw ServiceError(.badRequest, "invalid-points", "customer (a string) and points (1 to 1000) are required.")
            }
            let balance = try await database.write { db in
                try db.execute(
                    sql: "INSERT INTO balance (customer, points) VALUES (?, ?) "
                        + "ON CONFLICT (customer) DO UPDATE SET points = points + excluded.points", arguments: [customer, points])
                return try Int.fetchOne(db, sql: "SELECT points FROM balance WHERE customer = ?", arguments: [customer]) ?? 0
            }
            return Response.json(["customer": .string(customer), "balance": .number(Double(balance))], status: .created)
        }
        router.get("/points/{customer}") { _, context in
            let customer = try context.parameters.require("customer")
            guard
                let balance = try await database.read({
                    try Int.fetchOne($0, sql: "SELECT points FROM balance WHERE customer = ?", arguments: [customer])
                })
            else { throw ServiceError.notFound("Customer \(customer)") }
            return Response.json(["customer": .string(customer), "balance": .number(Double(balance))])
        }
    }
}

/// Step 7: the consumer's side, in orders' `Clients/`: the route it calls, and its own view of the
/// answer, the one field it reads. What it reads becomes `contracts/orders-loyalty.json`.
struct LoyaltyClient: Sendable {
    static let credit = PeerRoute("loyalty", .post, "/points")
    let peers: ServiceClient

    struct PointsBalance: Decodable, Sendable { var balance: Int }

    func award(_ points: Int, to customer: String) async throws -> PointsBalance {
        try await peers.call(Self.credit, path: "/points", body: ["customer": .string(customer), "points": .number(Double(points))])
    }
}

@Suite struct AddAServiceTests {
    /// Step 2: the system with loyalty's `SystemUnderTest` entry, orders now calling it, and loyalty's
    /// migrations registered for `harness migrate rehearse` (step 3).
    static func shopWithLoyalty(creditors: [ServiceName] = ["orders"]) -> SystemUnderTest {
        var system = SystemUnderTest([
            "orders": { try OrdersService(environment: $0, awardsPoints: true) },
            "stock": { try StockService(environment: $0) },
            "loyalty": { try LoyaltyService(environment: $0, creditors: creditors) },
        ])
        system.migrations = ["loyalty": LoyaltyService.migrator]
        return system
    }

    @Test(arguments: [StackMode.inMemory, .loopback])
    func addsAServiceThatAnExistingServiceCalls(mode: StackMode) async throws {
        let system = Self.shopWithLoyalty()
        // Step 6: every route of loyalty is in its access list, and orders may call what it consumes.
        #expect(try SystemCatalog(system).accessProblems == [])

        // Step 7: a first run, checking no contract yet, learns what orders reads of loyalty …
        let learned = try await withStack(system, mode, contracts: .none) { stack in
            let first = try await stack.client("orders").post("/orders", ["sku": "A1", "customer": "ada"])
            #expect(first.status == .created, "\(first.bodyText)")
            #expect(first.json?["points_balance"] == 10)
            let second = try await stack.client("orders").post("/orders", ["sku": "A1", "customer": "ada"])
            #expect(second.json?["points_balance"] == 20, "\(second.bodyText)")
            // The hop from orders to loyalty, signed as orders and verified by loyalty.
            #expect(
                try stack.exchanges().prefix(3).map(\.description).map { $0.components(separatedBy: " (")[0] } == [
                    "orders → stock GET /items/A1 200", "orders → loyalty POST /points 201", "client → orders POST /orders 201",
                ])
            // Loyalty's own database holds the points; orders' holds the orders.
            #expect(try await stack.database("loyalty").read { try Int.fetchOne($0, sql: "SELECT points FROM balance WHERE customer = 'ada'") } == 20)
            #expect(try await stack.database("orders").read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \"order\"") } == 2)

            // The test calls loyalty as the caller its access list names; anyone else is refused.
            let balance = try await stack.client("loyalty", as: "orders").get("/points/ada")
            #expect(balance.status == .ok, "\(balance.bodyText)")
            #expect(balance.json?["balance"] == 20)
            let stranger = try await stack.client("loyalty", as: "stock").get("/points/ada")
            #expect(stranger.status == .forbidden)
            #expect(stranger.json?["errors"][0]["category_code"] == "caller-not-allowed")
            let unsigned = try await stack.client("loyalty").get("/points/ada")
            #expect(unsigned.status == .unauthorized)
            #expect(unsigned.json?["errors"][0]["category_code"] == "service-credential-required")

            // Step 5: every answer loyalty gave matched its document: withStack fails the test otherwise.
            return try stack.contracts()
        }
        let read = try #require(learned.contract("orders", "loyalty")?.interaction("POST /points", 201))
        #expect(read.fields.map(\.path) == ["balance"])

        // … written as `harness contracts record` writes contracts/, then checked by every later stack.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("add-a-service-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try learned.write(to: directory)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/orders-loyalty.json"))
        try await withStack(system, mode, contracts: .directory(directory)) { stack in
            let placed = try await stack.client("orders").post("/orders", ["sku": "A1", "customer": "grace"])
            #expect(placed.status == .created, "\(placed.bodyText)")
            #expect(placed.json?["points_balance"] == 10)
        }
    }

    @Test func namesACallerLeftOutOfTheNewServicesAccessList() throws {
        // Step 6 skipped: loyalty lets only stock credit points, but orders calls it.
        let problems = try SystemCatalog(Self.shopWithLoyalty(creditors: ["stock"])).accessProblems
        #expect(problems == ["orders calls loyalty POST /points, which loyalty lets only stock call"])
    }

    @Test func documentsEveryRouteTheNewServiceServes() throws {
        // Step 5: the same check OpenAPIDocumentTests makes of the payments system's services.
        let loyalty = try LoyaltyService(environment: ServiceEnvironment(transport: InMemoryTransport(logger: Stack.quietLogger)))
        #expect(Set(loyalty.routes().map(\.route)) == Set(LoyaltyService.document.routes))
    }

    @Test func rehearsesTheNewServicesMigrations() throws {
        // Step 3: a production data directory from before loyalty had data; its migrations are tried on a copy.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("add-a-service-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let production = root.appendingPathComponent("production")
        let scratch = root.appendingPathComponent("copies")
        try FileManager.default.createDirectory(at: production, withIntermediateDirectories: true)
        try DatabaseQueue(path: production.appendingPathComponent("loyalty.sqlite").path).close()
        let report = try MigrationRehearsal(migrations: Self.shopWithLoyalty().migrations).run(from: production, into: scratch)
        #expect(report.failure == nil, "\(report.lines)")
        #expect(report.services.map(\.service) == ["loyalty"])
        #expect(report.services.first?.migrations.map(\.name) == ["v1"])
    }
}
