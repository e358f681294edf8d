import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Debits: create against a card (by id, href or inline), read one, list newest first.
struct DebitsController {
    let database: any DatabaseWriter
    let vault: VaultClient
    let fraud: FraudClient
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<ServiceContext>) {
        router.post("/cards/{id}/debits") { request, context in
            let body = try await request.json(context: context)
            let input = try DebitInput(body)
            return try await debit(try await vault.card(try context.parameters.require("id")), input, context)
        }
        router.post("/debits") { request, context in
            let body = try await request.json(context: context)
            let input = try DebitInput(body)
            return try await debit(try await source(body["source"]), input, context)
        }
        router.get("/debits/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let debit = try await database.read({ try Debit.fetchOne($0, key: id) }) else {
                throw ServiceError.notFound("Debit \(id)")
            }
            return Response.json(Envelope.single("debits", debit.json, links: Envelope.debitLinks))
        }
        router.get("/debits") { request, _ in try await list(request) }
    }

    /// The card a `POST /debits` names: an href (`/cards/CC…`), an id, or an inline card to tokenize.
    func source(_ source: JSON) async throws -> VaultCard {
        switch source {
        case .string(let reference):
            let id = reference.split(separator: "/").last.map(String.init) ?? reference
            guard id.hasPrefix("CC") else { throw ServiceError.invalidField("source", "must be a card href such as /cards/CC…") }
            return try await vault.card(id)
        case .object:
            return try await vault.tokenize(source)
        case .null:
            throw ServiceError.invalidField("source", "is required")
        default:
            throw ServiceError.invalidField("source", "must be a card href or a card object")
        }
    }

    func debit(_ card: VaultCard, _ input: DebitInput, _ context: ServiceContext) async throws -> Response {
        let check = try await fraud.check(card: card, amount: input.amount, currency: input.currency)
        let outcome = Debit.outcome(of: check)
        let now = clock()
        let meta = String(decoding: try JSONCoding.encoder.encode(input.meta), as: UTF8.self)
        let debit = Debit(
            id: IDs.make("WD"), cardId: card.id, amount: input.amount, currency: input.currency,
            description: input.description, appearsOnStatementAs: input.appearsOnStatementAs, status: outcome.status,
            failureReasonCode: outcome.code, failureReason: outcome.reason, transactionNumber: IDs.transactionNumber("W"),
            meta: meta, fraudCheckId: check.id, createdAt: now, updatedAt: now)
        try await database.write { try debit.record(in: $0) }
        context.logger.info("debit", metadata: ["debit": "\(debit.id)", "status": "\(debit.status.rawValue)", "score": "\(check.score)"])
        return .json(Envelope.single("debits", debit.json, links: Envelope.debitLinks), status: .created)
    }

    func list(_ request: Request) async throws -> Response {
        let limit = try request.queryInt("limit", default: 10, in: 1...100)
        let offset = try request.queryInt("offset", default: 0, in: 0...Int(Int32.max))
        let (debits, total) = try await database.read { db in
            let debits = try Debit.order(Debit.Columns.createdAt.desc, Column.rowID.desc).limit(limit, offset: offset).fetchAll(db)
            return (debits, try CollectionTotal.total("debits", in: db))
        }
        return .json(Envelope.page("debits", debits.map(\.json), links: Envelope.debitLinks, path: "/debits",
                                   limit: limit, offset: offset, total: total))
    }
}
