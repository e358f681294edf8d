import GRDB
import Hummingbird
import ServiceKit

/// Fraud: scores a payment before money moves, and reports what the issuer said about the security code.
public struct FraudService: ServiceApp {
    public let name: ServiceName = "fraud"
    public let database: ServiceDatabase
    let environment: ServiceEnvironment

    /// Payments asks for checks and underwriting; the dashboard reads a merchant's statistics.
    public var access: ServiceAccess {
        .internalOnly([
            RouteAccess(.post, "/checks", callers: "payments"), RouteAccess(.get, "/checks/stats", callers: "dashboard"),
            RouteAccess(.get, "/checks/{id}", callers: "payments"), RouteAccess(.post, "/underwriting", callers: "payments"),
        ])
    }

    /// Its migrations, for rehearsing a deploy on a copy of production's data.
    public static var migrator: DatabaseMigrator { FraudMigrations.migrator }

    public init(environment: ServiceEnvironment) throws {
        self.environment = environment
        self.database = try environment.database.open("fraud", migrator: FraudMigrations.migrator)
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        ChecksController(database: database, clock: environment.clock).addRoutes(to: router)
    }
}
