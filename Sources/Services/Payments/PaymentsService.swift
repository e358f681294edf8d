import GRDB
import Hummingbird
import ServiceKit

/// Payments: the public card-payments API, in the style of Balanced's (revision 1.1).
///
/// A debit asks vault about the card and fraud for a check, reads fraud's `csc_check`, and writes the
/// debit with its ledger entries in one transaction.
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
        let vault = VaultClient(peers: peers), fraud = FraudClient(peers: peers)
        CardsController(vault: vault).addRoutes(to: router)
        DebitsController(database: database, vault: vault, fraud: fraud, clock: environment.clock).addRoutes(to: router)
    }
}
