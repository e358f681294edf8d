@preconcurrency import Crypto
import GRDB
import Hummingbird
import ServiceKit

/// Vault: the only service that ever holds a full card number.
///
/// It validates and tokenizes cards, stores the number encrypted (AES-GCM) beside a keyed fingerprint,
/// and answers with a token and the simulated issuer's verdict on the security code.
public struct VaultService: ServiceApp {
    public let name: ServiceName = "vault"
    public let database: ServiceDatabase
    let cipher: CardCipher
    let environment: ServiceEnvironment

    /// Card data stays inside the services that must reach it: only payments calls vault.
    public var access: ServiceAccess {
        .internalOnly([RouteAccess(.post, "/cards", callers: "payments"), RouteAccess(.get, "/cards/{id}", callers: "payments")])
    }

    /// - Parameter key: the 256-bit master key; encryption and fingerprint keys are derived from it.
    public init(environment: ServiceEnvironment, key: SymmetricKey) throws {
        self.environment = environment
        self.database = try environment.database.open("vault", migrator: VaultMigrations.migrator)
        self.cipher = CardCipher(masterKey: key)
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        CardsController(database: database, cipher: cipher, clock: environment.clock).addRoutes(to: router)
    }
}
