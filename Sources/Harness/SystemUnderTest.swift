import GRDB
import HarnessCore

/// The services a stack is made of: each one's name and how to build it in the environment a stack gives.
///
/// The harness knows nothing else about a system. Any ``StackService`` can be one; a Hummingbird app
/// through ``HummingbirdService``:
///
/// ```swift
/// let shop = SystemUnderTest([
///     "orders": { HummingbirdService("orders", router: buildOrdersRouter(environment: $0), logger: $0.logger) },
///     "stock": { HummingbirdService("stock", router: buildStockRouter(), logger: $0.logger) },
/// ])
/// try await withStack(shop, contracts: .none) { stack in   // no contracts recorded yet
///     let reply = try await stack.client("orders").post("/orders", ["sku": "A1"])
/// }
/// ```
public struct SystemUnderTest: Sendable {
    public typealias Factory = @Sendable (StackEnvironment) throws -> any StackService

    public let services: [(name: ServiceName, make: Factory)]
    /// The data Pact interactions with these services may assume, for exported Pacts.
    public var providerStates: [ProviderState] = []
    /// Each service's migrations, for rehearsing them on a copy of production (`MigrationRehearsal`).
    public var migrations: [ServiceName: DatabaseMigrator] = [:]

    public init(_ services: KeyValuePairs<ServiceName, Factory>, providerStates: [ProviderState] = []) {
        self.init(services.map { (name: $0.key, make: $0.value) }, providerStates: providerStates)
    }

    public init(_ services: [(name: ServiceName, make: Factory)], providerStates: [ProviderState] = []) {
        self.services = services
        self.providerStates = providerStates
    }

    public var names: [ServiceName] { services.map(\.name) }

    /// The system without the services named: those run elsewhere (`Peers`).
    public func excluding(_ names: some Sequence<ServiceName>) -> SystemUnderTest {
        let gone = Set(names)
        var rest = SystemUnderTest(services.filter { !gone.contains($0.name) }, providerStates: providerStates)
        rest.migrations = migrations.filter { !gone.contains($0.key) }
        return rest
    }

    /// Builds every service, each in the environment given for its name.
    public func makeServices(_ environment: (ServiceName) throws -> StackEnvironment) throws -> [any StackService] {
        try services.map { name, make in
            let service = try make(try environment(name))
            guard service.name == name else {
                throw HarnessError("the service registered as \(name) calls itself \(service.name); register it under its own name")
            }
            return service
        }
    }
}
