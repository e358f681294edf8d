import GRDB
import Harness
import Hummingbird
import ServiceKit
import Testing

/// A service with a literal route beside a parameter one (`/items/new`, `/items/{sku}`), declared in
/// either order: coverage and faults must name the route a call is on the same way whatever the order.
struct ItemsService: ServiceApp {
    let name: ServiceName = "items"
    let database: ServiceDatabase
    let literalFirst: Bool

    init(environment: ServiceEnvironment, literalFirst: Bool) throws {
        database = try environment.database.open("toy-items", migrator: DatabaseMigrator())
        self.literalFirst = literalFirst
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        let new: @Sendable (Request, ServiceRequestContext) async throws -> Response = { _, _ in Response.json(["form": "blank"] as JSON) }
        let item: @Sendable (Request, ServiceRequestContext) async throws -> Response = { _, context in
            Response.json(["sku": .string(try context.parameters.require("sku"))] as JSON)
        }
        if literalFirst {
            router.get("/items/new", use: new)
            router.get("/items/{sku}", use: item)
        } else {
            router.get("/items/{sku}", use: item)
            router.get("/items/new", use: new)
        }
    }
}

@Suite struct RoutePrecedenceTests {
    static func items(literalFirst: Bool) -> SystemUnderTest {
        SystemUnderTest(["items": { try ItemsService(environment: $0, literalFirst: literalFirst) }])
    }

    @Test(arguments: [false, true])
    func anEdgeGoesToTheMostSpecificRouteWhateverTheDeclarationOrder(literalFirst: Bool) async throws {
        try await withStack(Self.items(literalFirst: literalFirst), .inMemory, contracts: .none) { stack in
            let new = try await stack.client("items").get("/items/new")
            let item = try await stack.client("items").get("/items/A1")
            #expect((new.status, item.status) == (.ok, .ok))
            let edges = try stack.edges()
            #expect(edges.map(\.route) == ["GET /items/new", "GET /items/{sku}"])
        }
    }

    @Test(arguments: [false, true])
    func aFaultOnAParameterRouteLeavesTheLiteralOneAlone(literalFirst: Bool) async throws {
        try await withStack(Self.items(literalFirst: literalFirst), .inMemory, contracts: .none) { stack in
            try stack.inject(.status(503), into: "items", route: "GET /items/{sku}")
            let new = try await stack.client("items").get("/items/new")
            let item = try await stack.client("items").get("/items/A1")
            #expect(new.status == .ok)
            #expect(item.status == .serviceUnavailable)
        }
    }
}
