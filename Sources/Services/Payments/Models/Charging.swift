import Foundation
import GRDB
import ServiceKit

/// Payments' story: a card is claimed, checked by fraud, authorized by its issuer (through vault and
/// the processor), then debited or held; a hold is captured or voided; a debit is refunded. Every money movement and
/// its ledger entries are written in one transaction.
struct Charging: Sendable {
    let database: ServiceDatabase
    let vault: VaultClient
    let fraud: FraudClient
    let clock: @Sendable () -> Date

    /// A card the caller may use: payments' own record, or vault's token adopted into payments. A card
    /// tokenized without a key becomes the caller's on first use.
    func card(_ id: String, tenant: String) async throws -> Card {
        if let card = try await database.read({ try Card.filter(Card.idColumn == id && Card.visible(to: tenant)).fetchOne($0) }) {
            guard card.tenantId == nil else { return card }
            return try await database.write { try Card.claim(id, for: tenant, in: $0) }
        }
        let adopted = Card(try await vault.card(id, tenant: tenant), tenant: tenant, now: clock())
        try await database.write { try adopted.insert($0, onConflict: .ignore) }
        return try await database.read { try Card.find(id, tenant: tenant, in: $0) }
    }

    /// Debits a card. A declined card is a 402 that carries the failed debit, which is kept.
    /// - Parameter issuer: vault's answer when the card was just tokenized, saving a second call.
    func debit(_ card: Card, issuer: VaultCard? = nil, tenant: String, input: ChargeInput, customer: String?) async throws -> Debit {
        let number = TransactionNumber.make("W")
        let verdict = try await authorize(card, issuer: issuer, tenant: tenant, input: input, orderID: number, capture: true)
        let now = clock()
        let debit = Debit(
            id: IDs.make(Debit.idPrefix), tenantId: tenant, cardId: card.id, customerId: customer ?? card.customerId,
            amount: input.amount, currency: input.currency, description: input.description,
            appearsOnStatementAs: input.appearsOnStatementAs, status: verdict.status, failureReasonCode: verdict.failureReasonCode,
            failureReason: verdict.failureReason, transactionNumber: number, meta: input.meta,
            fraudCheckId: verdict.fraudCheckId, createdAt: now, updatedAt: now, processorReference: verdict.processorReference)
        try await database.write { db in
            try debit.record(in: db)
            try Self.answerIdempotently(debit, declined: verdict.declined, in: db)
        }
        if verdict.declined { throw ServiceError.declined(debit) }
        return debit
    }

    /// Authorizes an amount on a card for seven days, checked by fraud like a debit.
    func hold(_ card: Card, tenant: String, input: ChargeInput) async throws -> CardHold {
        let number = TransactionNumber.make("HL")
        let verdict = try await authorize(card, tenant: tenant, input: input, orderID: number, capture: false)
        let now = clock()
        let hold = CardHold(
            id: IDs.make(CardHold.idPrefix), tenantId: tenant, cardId: card.id, amount: input.amount, currency: input.currency,
            description: input.description, status: verdict.status, failureReasonCode: verdict.failureReasonCode,
            failureReason: verdict.failureReason, transactionNumber: number, meta: input.meta,
            fraudCheckId: verdict.fraudCheckId, expiresAt: now.addingTimeInterval(CardHold.lifetime), createdAt: now, updatedAt: now,
            processorReference: verdict.processorReference)
        try await database.write { db in
            try hold.insert(db)
            try Self.answerIdempotently(hold, declined: verdict.declined, in: db)
        }
        if verdict.declined { throw ServiceError.declined(hold) }
        return hold
    }

    /// What fraud and the issuer make of a charge: fraud first, and a charge fraud fails never reaches
    /// the processor; then the issuer's approval (captured at once when `capture`), or its decline.
    func authorize(
        _ card: Card, issuer: VaultCard? = nil, tenant: String, input: ChargeInput, orderID: String,
        capture: Bool
    ) async throws -> Verdict {
        guard card.deletedAt == nil else { throw ServiceError.cardNotValid }
        let issuer = if let issuer { issuer } else { try await vault.card(card.id, tenant: tenant) }
        let verdict = Verdict(try await fraud.check(card: issuer, amount: input.amount, currency: input.currency, tenant: tenant))
        guard verdict.status != .failed else { return verdict }
        let authorization = try await vault.authorize(card.id, input, orderID: orderID, capture: capture, tenant: tenant)
        guard authorization.status == .approved else { return .declined(authorization, fraudCheckId: verdict.fraudCheckId) }
        var approved = verdict
        approved.processorReference = authorization.id
        return approved
    }

    /// Turns a hold into a debit of up to its amount; the fraud check of the hold stands. The processor
    /// captures the hold's approval first; the debit is written once it has.
    func capture(_ holdID: String, tenant: String, fields: [String: JSON]) async throws -> Debit {
        let now = clock()
        let held = try await database.read { try CardHold.find(holdID, tenant: tenant, in: $0) }
        try held.requireOpen(at: now, toBe: "captured", else: "cannot-capture-authorization")
        let input = try ChargeInput(fields, defaultAmount: held.amount)
        guard input.amount <= held.amount else { throw ServiceError.invalidAmount("must not exceed the hold's \(held.amount)") }
        if let reference = held.processorReference { try await vault.capture(reference, amount: input.amount, tenant: tenant) }
        return try await database.write { db -> Debit in
            var hold = try CardHold.find(holdID, tenant: tenant, in: db)
            try hold.requireOpen(at: now, toBe: "captured", else: "cannot-capture-authorization")
            let card = try Card.fetchOne(db, key: hold.cardId)
            let debit = Debit(
                id: IDs.make(Debit.idPrefix), tenantId: tenant, cardId: hold.cardId, customerId: card?.customerId, cardHoldId: hold.id,
                amount: input.amount, currency: input.currency, description: input.description ?? hold.description,
                appearsOnStatementAs: input.appearsOnStatementAs, status: .succeeded, transactionNumber: TransactionNumber.make("W"),
                meta: input.meta, fraudCheckId: hold.fraudCheckId, createdAt: now, updatedAt: now,
                processorReference: hold.processorReference)
            try debit.record(in: db)
            hold.debitId = debit.id
            hold.updatedAt = now
            try hold.update(db)
            try Self.answerIdempotently(debit, in: db)
            return debit
        }
    }

    /// Releases a hold that was neither captured nor voided, at the processor first.
    func void(_ holdID: String, tenant: String) async throws -> CardHold {
        let now = clock()
        let held = try await database.read { try CardHold.find(holdID, tenant: tenant, in: $0) }
        try held.requireOpen(at: now, toBe: "voided", else: "cannot-void-authorization")
        if let reference = held.processorReference { try await vault.reverse(reference, tenant: tenant) }
        return try await database.write { db -> CardHold in
            var hold = try CardHold.find(holdID, tenant: tenant, in: db)
            try hold.requireOpen(at: now, toBe: "voided", else: "cannot-void-authorization")
            hold.voidedAt = now
            hold.updatedAt = now
            try hold.update(db)
            return hold
        }
    }

    /// Returns money from a succeeded debit: by default all that is left; never more. The processor
    /// refunds first; the refund is written once it has.
    func refund(_ debitID: String, tenant: String, fields: [String: JSON]) async throws -> Refund {
        let amount = try Fields.amount(fields, required: false)
        let description = try Fields.string(fields, "description") ?? nil
        let meta = try Fields.meta(fields) ?? "{}"
        let now = clock()
        let (debit, remaining) = try await database.read { db in
            let debit = try Debit.find(debitID, tenant: tenant, in: db)
            return (debit, try Self.refundable(debit, amount: amount, in: db))
        }
        let number = TransactionNumber.make("RF")
        if let reference = debit.processorReference {
            try await vault.refund(reference, amount: amount ?? remaining, refund: number, tenant: tenant)
        }
        return try await database.write { db -> Refund in
            let remaining = try Self.refundable(debit, amount: amount, in: db)
            let refund = Refund(
                id: IDs.make(Refund.idPrefix), tenantId: tenant, debitId: debit.id, amount: amount ?? remaining,
                currency: debit.currency, description: description, status: .succeeded,
                transactionNumber: number, meta: meta, createdAt: now, updatedAt: now)
            try refund.record(in: db)
            try Self.answerIdempotently(refund, in: db)
            return refund
        }
    }

    /// What is left to refund of `debit`, unless it cannot be refunded `amount` (all that is left when nil).
    static func refundable(_ debit: Debit, amount: Int?, in db: Database) throws -> Int {
        guard debit.status == .succeeded else {
            throw ServiceError(
                .conflict, "refund-invalid-debit-state", "State of debit to refund must be ``succeeded``.",
                categoryType: "logical")
        }
        let remaining = try debit.refundable(in: db)
        guard remaining > 0 else {
            throw ServiceError(.conflict, "debit-already-refunded", "Debit has already been fully refunded.", categoryType: "logical")
        }
        guard (amount ?? remaining) <= remaining else {
            throw ServiceError(
                .badRequest, "invalid-amount", "Refund amount cannot be greater than the amount of the original debit.",
                extras: ["amount": .string("at most \(remaining) can be refunded")])
        }
        return remaining
    }
}

/// What becomes of a charge once the issuer and fraud have answered.
struct Verdict: Equatable {
    var status: Debit.Status
    var failureReasonCode: String?
    var failureReason: String?
    var fraudCheckId: String?
    /// The processor's approval, when it gave one.
    var processorReference: String?
    var declined = false

    /// The issuer declined: the processor's response code and message are the reason.
    static func declined(_ authorization: VaultAuthorization, fraudCheckId: String?) -> Verdict {
        var verdict = Verdict(
            status: .failed, failureReasonCode: "card-declined",
            failureReason: "The card was declined by its issuer (\(authorization.responseCode) \(authorization.message)).",
            declined: true)
        verdict.fraudCheckId = fraudCheckId
        return verdict
    }

    /// A failed security code fails the charge whatever the score; a rejection fails it; a review
    /// leaves it pending; anything else succeeds.
    init(_ check: FraudCheck) {
        fraudCheckId = check.id
        if check.cscCheck == .fail {
            (status, failureReasonCode, failureReason) = (.failed, "csc-check-failed", "The card security code did not match.")
            return
        }
        switch check.decision {
        case .reject:
            (status, failureReasonCode, failureReason) = (.failed, "high-risk", "The payment was declined by risk review (score \(check.score)).")
        case .review: status = .pending
        case .accept: status = .succeeded
        }
    }

    init(status: Debit.Status, failureReasonCode: String?, failureReason: String?, declined: Bool) {
        self.status = status
        self.failureReasonCode = failureReasonCode
        self.failureReason = failureReason
        self.declined = declined
    }
}

extension ServiceError {
    /// The issuer declined the card: a 402 that still carries the failed resource.
    static func declined(_ resource: some Resource) -> ServiceError {
        ServiceError(
            .init(code: 402), "card-declined", "The card was declined by its issuer.", categoryType: "banking",
            attachments: [type(of: resource).plural: [resource.json]])
    }

    /// A deleted (unstored) card: still readable, never charged again. Balanced's code and words.
    static let cardNotValid = ServiceError(
        .conflict, "card-not-valid",
        "This card has already been marked as invalid/deactivated. It cannot be used again.",
        categoryType: "logical")

    /// Balanced's `invalid-amount`, for an amount a client may not ask for.
    static func invalidAmount(_ problem: String) -> ServiceError {
        .invalidField("amount", problem, categoryCode: "invalid-amount")
    }
}

/// Transaction numbers as they appear on statements and receipts: `W8HB-KOX-DQ4Y`. A charge's number
/// is also its order id at the processor.
enum TransactionNumber {
    /// Set while a request with an `Idempotency-Key` runs (tenant, route and key): its number is then
    /// derived from the key, so a retry after a failure sends the processor the same order, which the
    /// processor answers with its first answer instead of charging again.
    @TaskLocal static var idempotencyKey: String?

    static func make(_ prefix: String) -> String {
        let upper = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var random = IdentifierRandom()
        var keyed = idempotencyKey.map { SplitMix(seed: "\(prefix) \($0)") }
        func next() -> UInt64 { keyed?.next() ?? random.next() }
        func chunk(_ n: Int) -> String { String((0..<n).map { _ in upper[Int(next() % UInt64(upper.count))] }) }
        return "\(prefix)\(chunk(3))-\(chunk(3))-\(chunk(4))"
    }

    /// SplitMix64 seeded by FNV-1a of a text: the same text gives the same numbers.
    struct SplitMix {
        var state: UInt64

        init(seed text: String) {
            state = StableHash.fnv1a(text)
        }

        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }
}
