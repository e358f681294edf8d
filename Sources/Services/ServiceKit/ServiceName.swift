import HTTPTypes

/// The services of the stack, by name.
///
/// Services address each other only by name; the transport decides whether a name means a responder
/// in the same process, a base URL on loopback, or a deployed stack.
public enum ServiceName: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case payments, fraud, vault, dashboard

    public var description: String { rawValue }
}

extension HTTPField.Name {
    /// The marketplace a call between services acts for. Payments authenticates merchants and passes
    /// their marketplace on; fraud and vault partition their data by it.
    public static let tenant = HTTPField.Name("X-Tenant")!
    /// A client's name for one money-moving request, so a retry of it moves money once.
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Set on a response replayed for a repeated Idempotency-Key.
    public static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
