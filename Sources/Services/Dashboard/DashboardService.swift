import GRDB
import Hummingbird
import ServiceKit

/// Dashboard: what a merchant sees, built from payments' recent debits and fraud's recent checks.
///
/// It reads a bounded page and a bounded window, so a summary costs the same however large the other
/// services' databases grow. It keeps its own history of the summaries it served.
public struct DashboardService: ServiceApp {
    public let name: ServiceName = "dashboard"
    public let database: ServiceDatabase
    let environment: ServiceEnvironment

    public var consumes: [PeerRoute] { PaymentsClient.routes + [FraudStatsClient.stats] }

    /// Its migrations, for rehearsing a deploy on a copy of production's data.
    public static var migrator: DatabaseMigrator { DashboardMigrations.migrator }

    public init(environment: ServiceEnvironment) throws {
        self.environment = environment
        self.database = try environment.database.open("dashboard", migrator: DashboardMigrations.migrator)
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        let peers = environment.peers(as: name)
        SummaryController(
            database: database, payments: PaymentsClient(peers: peers), fraud: FraudStatsClient(peers: peers),
            clock: environment.clock
        ).addRoutes(to: router)
    }
}
