@preconcurrency import Crypto
import GRDB
import Hummingbird
import ServiceKit

/// Vault: the only service that ever holds a full card number.
///
/// It validates and tokenizes cards, stores the number encrypted (AES-GCM) beside a keyed fingerprint,
/// and is the only service that talks to the card processor: it verifies a card when tokenizing it and
/// authorizes charges on payments' behalf, decrypting the number for that one request.
public struct VaultService: ServiceApp {
    public let name: ServiceName = "vault"
    public let database: ServiceDatabase
    let cipher: CardCipher
    let environment: ServiceEnvironment
    let processor: ProcessorClient

    /// Card data stays inside the services that must reach it: only payments calls vault.
    public var access: ServiceAccess {
        .internalOnly([
            RouteAccess(.post, "/cards", callers: "payments"), RouteAccess(.get, "/cards/{id}", callers: "payments"),
            RouteAccess(.delete, "/cards/{id}", callers: "payments"),
            RouteAccess(.post, "/authorizations", callers: "payments"), RouteAccess(.post, "/authorizations/{id}/captures", callers: "payments"),
            RouteAccess(.post, "/authorizations/{id}/reversals", callers: "payments"),
            RouteAccess(.post, "/authorizations/{id}/refunds", callers: "payments"),
        ])
    }

    public var consumes: [PeerRoute] { [ProcessorClient.authorize] }

    /// - Parameters:
    ///   - key: the 256-bit master key; encryption and fingerprint keys are derived from it.
    ///   - processor: vault's merchant account at the card processor.
    /// Its migrations, for rehearsing a deploy on a copy of production's data.
    public static var migrator: DatabaseMigrator { VaultMigrations.migrator }

    public init(environment: ServiceEnvironment, key: SymmetricKey, processor: ProcessorAccount = .sandbox) throws {
        self.environment = environment
        self.processor = ProcessorClient(peers: environment.peers(as: "vault"), account: processor)
        self.database = try environment.database.open("vault", migrator: VaultMigrations.migrator)
        self.cipher = CardCipher(masterKey: key)
        // Only a file holds cards from before; an in-memory database is a fresh copy of an empty one.
        if case .file = environment.database { try database.writer.read(cipher.verifyOpensStoredCards) }
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        CardsController(database: database, cipher: cipher, processor: processor, clock: environment.clock).addRoutes(to: router)
        AuthorizationsController(database: database, cipher: cipher, processor: processor, clock: environment.clock).addRoutes(to: router)
    }
}
