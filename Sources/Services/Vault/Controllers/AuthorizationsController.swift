import Foundation
import Hummingbird
import ServiceKit

/// `POST /authorizations`: payments asks the processor to approve a charge on a card only vault can
/// read. The number is decrypted for this one request and sent nowhere else. An approval is then
/// captured (`/captures`), voided (`/reversals`) or refunded (`/refunds`) by its id, without the card.
///
/// Vault does not take partial approvals: a charge approved for less than asked is reversed at once
/// and answered as declined, so no money is held that nobody will capture.
struct AuthorizationsController {
    let database: ServiceDatabase
    let cipher: CardCipher
    let processor: ProcessorClient
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/authorizations") { request, context in try await authorize(request, context) }
        router.post("/authorizations/{id}/captures") { request, context in
            let (authorization, body) = try await settling(request, context)
            let amount = try Self.amount(body, default: authorization.amount)
            try await processor.capture(authorization.id, orderID: authorization.orderId, amount: amount)
            return Self.settled(authorization, "captured", amount: amount)
        }
        router.post("/authorizations/{id}/reversals") { request, context in
            let (authorization, _) = try await settling(request, context)
            try await processor.reverse(authorization.id, orderID: authorization.orderId)
            return Self.settled(authorization, "reversed", amount: 0)
        }
        router.post("/authorizations/{id}/refunds") { request, context in
            let (authorization, body) = try await settling(request, context)
            let amount = try Self.amount(body, default: nil)
            guard let reference = RequestFields(body)["reference", required: true]?.string, !reference.isEmpty else {
                throw ServiceError.invalidField("reference", "is required: the refund's own transaction number")
            }
            let refund = try await processor.refund(
                authorization.id, orderID: authorization.orderId, amount: amount, currency: "USD",
                reference: reference)
            var answer = Self.settled(authorization, "refunded", amount: amount)
            answer.headers[.location] = "/authorizations/\(authorization.id)/refunds/\(refund)"
            return answer
        }
    }

    /// The authorization a settling request names, if its marketplace asked for it, and the request's body.
    func settling(_ request: Request, _ context: ServiceRequestContext) async throws -> (Authorization, JSON) {
        let authorization = try await Authorization.visible(try context.parameters.require("id"), tenant: request.headers[.tenant], in: database)
        let body = try await request.json(context: context)
        guard body.object != nil else { throw ServiceError.invalidBody("The request body must be a JSON object.") }
        return (authorization, body)
    }

    static func amount(_ body: JSON, default fallback: Int?) throws(ServiceError) -> Int {
        guard let given = RequestFields(body)["amount", required: fallback == nil], !given.isNull else {
            guard let fallback else { throw ServiceError.invalidField("amount", "is required") }
            return fallback
        }
        guard let amount = given.exactInteger, AuthorizationInput.amounts.contains(amount) else {
            throw ServiceError.invalidField("amount", "must be a positive whole number of cents, at most \(AuthorizationInput.amounts.upperBound)")
        }
        return amount
    }

    static func settled(_ authorization: Authorization, _ status: String, amount: Int) -> Response {
        .json(
            [
                "id": .string(authorization.id), "order_id": .string(authorization.orderId), "status": .string(status),
                "amount": .number(Double(amount)),
            ], status: .created)
    }

    func authorize(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let input = try AuthorizationInput(try await request.json(context: context))
        let card = try await Card.visible(input.cardID, tenant: request.headers[.tenant], in: database)
        guard card.deletedAt == nil else {
            throw ServiceError(
                .conflict, "card-not-valid", "Card \(card.id) was deleted: its number is gone and it cannot be charged.",
                categoryType: "logical")
        }
        let address = (try? JSON(parsing: .init(string: card.address)))?.object?.compactMapValues(\.string) ?? [:]
        let data = ProcessorClient.CardData(
            number: try cipher.decrypt(card.ciphertext, cardID: card.id),
            expiry: ProcessorClient.CardData.expiry(month: card.expirationMonth, year: card.expirationYear), brand: card.brand,
            address: address)
        let answer = try await processor.authorize(
            data, amount: input.amount, currency: input.currency, orderID: input.orderID,
            capture: input.capture, statementName: input.statementName)
        var approved = answer.approved
        var (code, message) = (answer.responseCode, answer.message)
        if approved, answer.approvedAmount < input.amount {
            try await processor.reverse(answer.txRefNum, orderID: input.orderID)
            approved = false
            message = "\(answer.message): \(answer.approvedAmount) of \(input.amount) approved, reversed"
            code = answer.responseCode
        }
        if approved {
            let record = Authorization(
                id: answer.txRefNum, cardId: card.id, orderId: input.orderID, amount: input.amount,
                tenant: request.headers[.tenant], createdAt: clock())
            try await database.write { try record.insert($0, onConflict: .ignore) }
        }
        context.logger.info(
            "authorization",
            metadata: [
                "card": "\(card.id)", "order": "\(input.orderID)", "approved": "\(approved)",
                "response_code": "\(code)",
            ])
        return .json(
            [
                "id": .string(answer.txRefNum), "order_id": .string(input.orderID), "status": approved ? "approved" : "declined",
                "amount": .number(Double(approved ? input.amount : 0)), "currency": .string(input.currency),
                "response_code": .string(code), "message": .string(message),
            ], status: .created)
    }
}

/// What payments sends to authorize a charge.
struct AuthorizationInput: Sendable, Equatable {
    /// Amounts in cents: positive, and at most the processor's twelve digits.
    static let amounts = 1...999_999_999_999
    /// The processor's order id: 1 to 22 letters, digits or dashes.
    static let orderPattern = "[A-Za-z0-9-]{1,22}"

    var cardID: String
    var amount: Int
    var currency: String
    var orderID: String
    var capture: Bool
    var statementName: String?

    init(_ body: JSON) throws(ServiceError) {
        let fields = RequestFields(body)
        guard body.object != nil else { throw ServiceError.invalidBody("The request body must be a JSON object.") }
        guard let card = fields["card_id", required: true]?.string, !card.isEmpty else { throw ServiceError.invalidField("card_id", "is required") }
        guard let amount = fields["amount", required: true]?.exactInteger, Self.amounts.contains(amount) else {
            throw ServiceError.invalidField("amount", "must be a positive whole number of cents, at most \(Self.amounts.upperBound)")
        }
        guard let currency = fields["currency", required: true]?.string, ProcessorClient.currencyCodes[currency] != nil else {
            throw ServiceError.invalidField("currency", "must be USD")
        }
        guard let order = fields["order_id", required: true]?.string, order.wholeMatches(Self.orderPattern) else {
            throw ServiceError.invalidField("order_id", "must be 1 to 22 letters, digits or dashes")
        }
        guard case .bool(let capture)? = fields["capture", required: true] else {
            throw ServiceError.invalidField("capture", "must be true or false")
        }
        switch fields["statement_name"] ?? .null {
        case .null: statementName = nil
        case .string(let name): statementName = String(name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || " *.-".contains($0)) }.prefix(25))
        default: throw ServiceError.invalidField("statement_name", "must be a string")
        }
        (cardID, self.amount, self.currency, orderID, self.capture) = (card, amount, currency, order, capture)
    }
}
