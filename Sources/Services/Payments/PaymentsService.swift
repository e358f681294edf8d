import GRDB
import Hummingbird
import ServiceKit

/// Payments: the public card-payments API, a subset of Balanced's (revision 1.1).
///
/// Merchants authenticate with an API key; every resource belongs to their marketplace. A debit asks
/// vault about the card and fraud for a check, reads fraud's `csc_check`, and writes the debit with its
/// ledger entries in one transaction.
public struct PaymentsService: ServiceApp {
    public let name = ServiceName.payments
    public let database: any DatabaseWriter
    let environment: ServiceEnvironment

    public init(environment: ServiceEnvironment) throws {
        self.environment = environment
        self.database = try environment.database.open("payments", migrator: PaymentsMigrations.migrator)
    }

    public func addRoutes(to router: Router<ServiceContext>) {
        let peers = environment.peers(as: .payments)
        let api = API(database: database, vault: VaultClient(peers: peers), fraud: FraudClient(peers: peers),
                      auth: Auth(database: database), clock: environment.clock)
        AccountsController(api: api).addRoutes(to: router)
        CustomersController(api: api).addRoutes(to: router)
        CardsController(api: api).addRoutes(to: router)
        CardHoldsController(api: api).addRoutes(to: router)
        DebitsController(api: api).addRoutes(to: router)
        ResourcesController(api: api).addRoutes(to: router)
    }
}
