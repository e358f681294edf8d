@preconcurrency import Crypto
import Dashboard
import Foundation
import Fraud
import HTTPTypes
import Harness
import PartnerSandbox
import Payments
import ServiceKit
import Vault

extension ServiceName {
    public static let payments: ServiceName = "payments"
    public static let fraud: ServiceName = "fraud"
    public static let vault: ServiceName = "vault"
    public static let dashboard: ServiceName = "dashboard"
    /// The card processor's test environment vault authorizes with (`PartnerSandbox`).
    public static let processor: ServiceName = "processor"
}

extension SystemUnderTest {
    /// Balanced's payments system: payments, fraud, vault and dashboard, with the card processor's test
    /// environment in process.
    ///
    /// A served stack keeps vault's master key and the key payments fingerprints idempotent requests
    /// with in its data directory (`PaymentsKeys`); an in-memory stack gets fresh ones.
    ///
    /// The processor's sandbox can run as its own program instead (`harness partner-sandbox`): then
    /// `excluding([.processor])`, with the transport reaching it at its URL (`Peers`).
    public static var payments: SystemUnderTest {
        var system = SystemUnderTest(
            [
                .payments: { try PaymentsService(environment: $0, requestKey: try PaymentsKeys.requests(in: $0.dataDirectory)) },
                .fraud: { try FraudService(environment: $0) },
                .vault: { try VaultService(environment: $0, key: try PaymentsKeys.vault(in: $0.dataDirectory)) },
                .dashboard: { try DashboardService(environment: $0) },
                .processor: { try ProcessorSandbox(environment: $0) },
            ], providerStates: ProviderState.payments)
        system.migrations = [
            .payments: PaymentsService.migrator, .fraud: FraudService.migrator, .vault: VaultService.migrator,
            .dashboard: DashboardService.migrator, .processor: ProcessorSandbox.migrator,
        ]
        return system
    }

    /// The processor's sandbox alone, as `harness partner-sandbox` serves it.
    public static var partnerSandbox: SystemUnderTest {
        SystemUnderTest([.processor: { try ProcessorSandbox(environment: $0) }])
    }
}

/// The keys the payments system keeps beside a served stack's databases: made on its first serve, read
/// on every later one, shared by every instance of a service that shares the directory.
public enum PaymentsKeys {
    /// Vault's master key; a fresh one for a stack with no data directory.
    public static func vault(in directory: URL?) throws -> SymmetricKey {
        try directory.map { try KeyFile(url: $0.appendingPathComponent("vault.key"), needed: "the cards in vault need it").loadOrCreate() }
            ?? SymmetricKey(size: .bits256)
    }

    /// What payments fingerprints idempotent requests with (never the requests themselves).
    public static func requests(in directory: URL?) throws -> SymmetricKey {
        try directory.map {
            try KeyFile(url: $0.appendingPathComponent("payments-requests.key"), needed: "payments recognises retried requests by it")
                .loadOrCreate()
        } ?? SymmetricKey(size: .bits256)
    }
}

extension HTTPField.Name {
    /// A client's name for one money-moving request, so a retry of it moves money once.
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Set on a response replayed for a repeated Idempotency-Key.
    public static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
