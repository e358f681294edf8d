@preconcurrency import Crypto
import GRDB
import HTTPTypes
import Hummingbird
import ServiceKit

/// Payments: the public card-payments API, a subset of Balanced's (revision 1.1).
///
/// Merchants authenticate with an API key; every resource belongs to their marketplace. A debit asks
/// vault about the card and fraud for a check, reads fraud's `csc_check`, and writes the debit with its
/// ledger entries in one transaction.
public struct PaymentsService: ServiceApp {
    static let serviceName: ServiceName = "payments"
    public let name = serviceName
    public let database: ServiceDatabase
    let environment: ServiceEnvironment

    public var consumes: [PeerRoute] { FraudClient.routes + VaultClient.routes }

    /// Its migrations, for rehearsing a deploy on a copy of production's data.
    public static var migrator: DatabaseMigrator { PaymentsMigrations.migrator }

    let fingerprint: RequestFingerprint
    /// Idempotency keys whose first request this instance is running, and the duplicates waiting on each.
    let running = RunningKeys()

    /// How a duplicate waits before it looks again at an idempotency key another process holds (two
    /// instances on one database): 25 ms. A test replaces it to see the duplicate reach the polling
    /// path, and to choose when it looks again, instead of guessing how long that takes.
    var waitToPoll: @Sendable () async throws -> Void = { try await Task.sleep(for: .milliseconds(25)) }

    /// - Parameter requestKey: what retried requests are recognised by (`RequestFingerprint`): every
    ///   instance on one database needs the same key; a fresh one for a database of its own.
    public init(environment: ServiceEnvironment, requestKey: SymmetricKey = SymmetricKey(size: .bits256)) throws {
        self.environment = environment
        self.fingerprint = RequestFingerprint(key: requestKey)
        self.database = try environment.database.open("payments", migrator: PaymentsMigrations.migrator)
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        let peers = environment.peers(as: name)
        let charging = Charging(
            database: database, vault: VaultClient(peers: peers), fraud: FraudClient(peers: peers),
            clock: environment.clock)
        let api = API(charging: charging, auth: Auth(database: database), fingerprint: fingerprint, waitToPoll: waitToPoll, running: running)
        AccountsController(api: api).addRoutes(to: router)
        CustomersController(api: api).addRoutes(to: router)
        CardsController(api: api).addRoutes(to: router)
        CardHoldsController(api: api).addRoutes(to: router)
        DebitsController(api: api).addRoutes(to: router)
        ResourcesController(api: api).addRoutes(to: router)
    }
}

extension HTTPField.Name {
    /// A client's name for one money-moving request, so a retry of it moves money once.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Set on a response replayed for a repeated Idempotency-Key.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
