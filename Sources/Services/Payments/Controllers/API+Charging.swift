import Foundation
import GRDB
import HTTPTypes
import ServiceKit

extension API {
    /// Debits a card: vault for the card and its issuer's answer, fraud for a check, then the debit and
    /// its ledger entries in one transaction. A declined card is a 402 carrying the failed debit.
    /// - Parameter issuer: vault's answer when the card was just tokenized, saving a second call.
    func debit(_ card: Card, issuer: VaultCard? = nil, tenant: String, input: ChargeInput, customer: String?) async throws -> Reply {
        let issuer = if let issuer { issuer } else { try await vault.card(card.id, tenant: tenant) }
        let now = clock()
        var debit = Debit(
            id: IDs.make("WD"), tenantId: tenant, cardId: card.id, customerId: customer ?? card.customerId, amount: input.amount,
            currency: input.currency, description: input.description, appearsOnStatementAs: input.appearsOnStatementAs,
            status: .failed, transactionNumber: IDs.transactionNumber("W"), meta: input.meta, createdAt: now, updatedAt: now)
        guard issuer.authorization == .approve else {
            debit.failureReasonCode = "card-declined"
            debit.failureReason = "The card was declined by its issuer."
            let declined = debit
            try await database.write { try declined.record(in: $0) }
            return Self.declined("debits", declined.json)
        }
        let check = try await fraud.check(card: issuer, amount: input.amount, currency: input.currency, tenant: tenant)
        (debit.status, debit.failureReasonCode, debit.failureReason) = Debit.outcome(of: check)
        debit.fraudCheckId = check.id
        let made = debit
        try await database.write { try made.record(in: $0) }
        return Reply(status: .created, body: made.envelope)
    }

    /// Authorizes an amount on a card for seven days, checked by fraud like a debit.
    func hold(_ card: Card, tenant: String, input: ChargeInput) async throws -> Reply {
        let issuer = try await vault.card(card.id, tenant: tenant)
        let now = clock()
        var hold = CardHold(
            id: IDs.make("HL"), tenantId: tenant, cardId: card.id, amount: input.amount, currency: input.currency,
            description: input.description, status: .failed, transactionNumber: IDs.transactionNumber("HL"), meta: input.meta,
            expiresAt: now.addingTimeInterval(CardHold.lifetime), createdAt: now, updatedAt: now)
        guard issuer.authorization == .approve else {
            hold.failureReasonCode = "card-declined"
            hold.failureReason = "The card was declined by its issuer."
            let declined = hold
            try await database.write { try declined.insert($0) }
            return Self.declined("card_holds", declined.json)
        }
        let check = try await fraud.check(card: issuer, amount: input.amount, currency: input.currency, tenant: tenant)
        (hold.status, hold.failureReasonCode, hold.failureReason) = Debit.outcome(of: check)
        hold.fraudCheckId = check.id
        let made = hold
        try await database.write { try made.insert($0) }
        return .created(made)
    }

    /// Turns a hold into a debit of up to its amount; the fraud check of the hold stands.
    func capture(_ holdID: String, tenant: String, fields: [String: JSON]) async throws -> Reply {
        let now = clock()
        let debit = try await database.write { db -> Debit in
            var hold = try CardHold.find(holdID, tenant: tenant, in: db)
            if let settled = hold.settled {
                throw ServiceError(.conflict, "cannot-capture-authorization", "Hold \(holdID) cannot be captured: \(settled).",
                                   categoryType: "logical")
            }
            let input = try ChargeInput(fields, defaultAmount: hold.amount)
            guard input.amount <= hold.amount else {
                throw ServiceError.invalidField("amount", "must not exceed the hold's \(hold.amount)")
            }
            let card = try Card.fetchOne(db, key: hold.cardId)
            let debit = Debit(
                id: IDs.make("WD"), tenantId: tenant, cardId: hold.cardId, customerId: card?.customerId, cardHoldId: hold.id,
                amount: input.amount, currency: input.currency, description: input.description ?? hold.description,
                appearsOnStatementAs: input.appearsOnStatementAs, status: .succeeded, transactionNumber: IDs.transactionNumber("W"),
                meta: input.meta, fraudCheckId: hold.fraudCheckId, createdAt: now, updatedAt: now)
            try debit.record(in: db)
            hold.debitId = debit.id
            hold.updatedAt = now
            try hold.update(db)
            return debit
        }
        return Reply(status: .created, body: debit.envelope)
    }

    /// Returns money from a succeeded debit: by default all that is left; never more.
    func refund(_ debitID: String, tenant: String, fields: [String: JSON]) async throws -> Reply {
        let amount = try Fields.amount(fields, required: false)
        let description = try Fields.string(fields, "description") ?? nil
        let meta = try Fields.meta(fields) ?? "{}"
        let now = clock()
        let refund = try await database.write { db -> Refund in
            let debit = try Debit.find(debitID, tenant: tenant, in: db)
            guard debit.status == .succeeded else {
                throw ServiceError(.conflict, "refund-invalid-debit-state", "State of debit to refund must be ``succeeded``.",
                                   categoryType: "logical")
            }
            let remaining = try debit.refundable(in: db)
            guard remaining > 0 else {
                throw ServiceError(.conflict, "debit-already-refunded", "Debit has already been fully refunded.", categoryType: "logical")
            }
            guard (amount ?? remaining) <= remaining else {
                throw ServiceError(.badRequest, "invalid-amount", "Refund amount cannot be greater than the amount of the original debit.",
                                   extras: ["amount": .string("at most \(remaining) can be refunded")])
            }
            let refund = Refund(id: IDs.make("RF"), tenantId: tenant, debitId: debit.id, amount: amount ?? remaining,
                                currency: debit.currency, description: description, status: .succeeded,
                                transactionNumber: IDs.transactionNumber("RF"), meta: meta, createdAt: now, updatedAt: now)
            try refund.insert(db)
            try Ledger.post(transaction: refund.id, tenant: tenant, from: Ledger.escrow, to: Ledger.account(card: debit.cardId),
                            amount: refund.amount, at: now, in: db)
            return refund
        }
        return .created(refund)
    }

    static func declined(_ plural: String, _ resource: JSON) -> Reply {
        let error = ServiceError(.init(code: 402), "card-declined", "The card was declined by its issuer.", categoryType: "banking")
        var body = error.body(requestID: RequestIDs.make())
        if case .object(var object) = body { object[plural] = [resource]; body = .object(object) }
        return Reply(status: .init(code: 402), body: body)
    }
}

extension Debit {
    /// The status a fraud verdict leads to.
    ///
    /// A failed security code fails the charge whatever the score; a rejection fails it; a review
    /// leaves it pending; anything else succeeds.
    static func outcome(of check: FraudCheck) -> (status: Status, code: String?, reason: String?) {
        if check.cscCheck == .fail {
            return (.failed, "csc-check-failed", "The card security code did not match.")
        }
        switch check.decision {
        case .reject: return (.failed, "high-risk", "The payment was declined by risk review (score \(check.score)).")
        case .review: return (.pending, nil, nil)
        case .accept: return (.succeeded, nil, nil)
        }
    }
}
