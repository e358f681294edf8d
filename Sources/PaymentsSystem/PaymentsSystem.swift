@preconcurrency import Crypto
import Dashboard
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
    /// Every stack built from it gets a fresh vault key; `harness serve` passes the key it keeps.
    public static var payments: SystemUnderTest { payments(vaultKey: nil, requestKey: nil) }

    /// The processor's sandbox can run as its own program instead (`harness partner-sandbox`): then
    /// `excluding([.processor])`, with the transport reaching it at its URL (`Peers`).
    /// - Parameters:
    ///   - vaultKey: vault's 256-bit master key; a fresh one per vault when nil.
    ///   - requestKey: the key payments fingerprints idempotent requests with, shared by its instances;
    ///     a fresh one per payments when nil.
    public static func payments(vaultKey: SymmetricKey?, requestKey: SymmetricKey?) -> SystemUnderTest {
        let key = vaultKey.map(SendableKey.init)
        let requestKey = requestKey.map(SendableKey.init)
        var system = SystemUnderTest(
            [
                .payments: { try PaymentsService(environment: $0, requestKey: requestKey?.key ?? SymmetricKey(size: .bits256)) },
                .fraud: { try FraudService(environment: $0) },
                .vault: { try VaultService(environment: $0, key: key?.key ?? SymmetricKey(size: .bits256)) },
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

/// swift-crypto's key is not `Sendable`, but it is an immutable value.
private struct SendableKey: @unchecked Sendable {
    let key: SymmetricKey
}

extension HTTPField.Name {
    /// A client's name for one money-moving request, so a retry of it moves money once.
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Set on a response replayed for a repeated Idempotency-Key.
    public static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
