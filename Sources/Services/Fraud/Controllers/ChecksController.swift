import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// `POST /checks` scores a payment; `GET /checks/{id}` reads one back; `GET /checks/stats` aggregates recent ones.
struct ChecksController {
    let database: ServiceDatabase
    let clock: @Sendable () -> Date

    /// Amounts a check scores, in cents: Balanced's 32-bit amounts.
    static let amounts = 1...Int(Int32.max)
    /// A three-letter currency code, in any case.
    static let currencyPattern = "[A-Za-z]{3}"
    /// How far back statistics may look, in seconds.
    static let windows = 1...86_400

    /// What a payment service sends to be scored.
    struct CheckRequest: Decodable {
        var cardId: String
        var amount: Int
        var currency: String
        var cvvMatch: String?
        var brand: String?

        enum CodingKeys: String, CodingKey {
            case cardId = "card_id"
            case amount, currency
            case cvvMatch = "cvv_match"
            case brand
        }
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/checks") { request, context in try await create(request, context) }
        router.get("/checks/stats") { request, _ in try await stats(request) }
        router.get("/checks/{id}") { request, context in try await show(context.parameters.require("id"), tenant: request.tenant) }
        router.post("/underwriting") { request, context in
            let identity = try await request.json(context: context)
            guard identity.object != nil else { throw ServiceError.invalidBody("The request body must be a JSON object.") }
            return Response.json(Underwriting.decide(identity).json)
        }
    }

    func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let input = try await request.decode(CheckRequest.self, context: context)
        guard Self.amounts.contains(input.amount) else {
            throw ServiceError.invalidField("amount", "must be a positive integer (cents), at most \(Self.amounts.upperBound)")
        }
        guard input.currency.wholeMatches(Self.currencyPattern) else { throw ServiceError.invalidField("currency", "must be a three-letter code") }
        if let match = input.cvvMatch, !["yes", "no", "unsupported"].contains(match) {
            throw ServiceError.invalidField("cvv_match", "must be yes, no, unsupported or null")
        }
        let now = clock()
        let tenant = request.tenant
        let check = try await database.write { db in
            let recent = try FraudCheck.count(card: input.cardId, tenant: tenant, since: now.addingTimeInterval(-3600), in: db)
            let assessment = RiskModel.assess(amount: input.amount, cvvMatch: input.cvvMatch, recentChecks: recent)
            let reasons = String(buffer: JSON.array(assessment.reasons.map(JSON.string)).encoded())
            let check = FraudCheck(
                id: IDs.make("FC"), tenant: tenant, cardId: input.cardId, amount: input.amount, currency: input.currency.uppercased(),
                cvvMatch: input.cvvMatch, brand: input.brand, score: assessment.score,
                decision: assessment.decision.rawValue, cscCheck: assessment.cscCheck.rawValue, reasons: reasons,
                createdAt: now)
            try check.insert(db)
            try CheckStats.count(check, in: db)
            return check
        }
        return .json(check.json, status: .created)
    }

    func show(_ id: String, tenant: String) async throws -> Response {
        guard let check = try await database.read({ try FraudCheck.fetchOne($0, key: id) }), check.tenant == tenant else {
            throw ServiceError.notFound("Check \(id)")
        }
        return .json(check.json)
    }

    func stats(_ request: Request) async throws -> Response {
        let window = try request.queryInt("window", default: 3600, in: Self.windows)
        let now = clock()
        let tenant = request.tenant
        return .json(try await database.read { try CheckStats.recent(seconds: window, tenant: tenant, now: now, in: $0) }.json)
    }
}

extension Request {
    /// The marketplace a request is for: checks and their statistics are kept apart per marketplace.
    var tenant: String { headers[.tenant] ?? "" }
}
