import GRDB
import ServiceKit
import Synchronization

/// The `Idempotency-Key` the running request holds, for the transaction that moves its money to
/// store its answer in.
///
/// A debit and the answer a retry replays commit together, so a crash at any point leaves either
/// both or neither: never money moved under a key that still looks unanswered.
final class IdempotencyClaim: Sendable {
    /// Set while a request with an `Idempotency-Key` runs.
    @TaskLocal static var current: IdempotencyClaim?

    let tenantId: String
    let key: String
    let holder: String
    let requestID: String
    private let stored = Atomic<Bool>(false)

    init(tenantId: String, key: String, holder: String, requestID: String) {
        (self.tenantId, self.key, self.holder, self.requestID) = (tenantId, key, holder, requestID)
    }

    /// Whether the request's answer is already stored, with its money movement.
    var isAnswered: Bool { stored.load(ordering: .acquiring) }

    /// Stores `reply` as the key's answer in `db`'s transaction. Throws when another request has taken
    /// the key over (this one outlived its lease), so the caller's writes roll back.
    func store(_ reply: Reply, in db: Database) throws {
        guard try IdempotentRequest.answer(tenantId: tenantId, key: key, holder: holder, with: reply, in: db) else {
            throw ServiceError(
                .conflict, "request",
                "Idempotency-Key \(key) was taken over by a retry while this request ran; "
                    + "the retry's answer stands.")
        }
        stored.store(true, ordering: .releasing)
    }
}

extension Charging {
    /// Stores, with a money movement, what the client is answered for it: the resource, or the 402 of
    /// a declined card.
    static func answerIdempotently(_ resource: some Resource, declined: Bool = false, in db: Database) throws {
        guard let claim = IdempotencyClaim.current else { return }
        let reply =
            declined
            ? Reply(error: ServiceError.declined(resource), requestID: claim.requestID, service: PaymentsService.serviceName)
            : Reply.created(resource)
        try claim.store(reply, in: db)
    }
}
