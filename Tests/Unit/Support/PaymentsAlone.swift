@preconcurrency import Crypto
import Foundation
import Harness
import HTTPTypes
import PaymentsSystem
import ServiceKit
import Synchronization
import Testing
@testable import Payments

/// Payments alone: vault and fraud answered by small fakes at the transport, which remember the
/// cards they tokenized and give the fraud verdict a test sets.
final class PaymentsAlone: Sendable {
    let transport: Isolated
    let service: PaymentsService
    let fakes: Fakes

    final class Fakes: Sendable {
        let cards = Mutex<[String: JSON]>([:])
        /// The captures, reversals and refunds payments asked vault for, by path.
        let settlements = Mutex<[String]>([])
        /// Fraud's next verdict: decision and csc_check, or nil for a 500.
        let verdict = Mutex<(decision: String, csc: String)?>(("accept", "pass"))
        /// Holds fraud's checks while closed.
        let fraudGate = HopPause(holding: false)
    }


    /// - Parameters:
    ///   - database: where payments keeps its data; a file lets a second instance share it.
    ///   - fakes: the fakes of vault and fraud, shared with another instance.
    init(database: DatabaseLocation = .inMemory, fakes: Fakes = Fakes()) throws {
        self.fakes = fakes
        transport = Isolated(stubs: [
            .vault: { request in
                let tenant = request.head.headerFields[.tenant]
                if let path = request.head.path, path.hasPrefix("/authorizations/") {
                    let status: JSON = path.hasSuffix("/captures") ? "captured" : path.hasSuffix("/reversals") ? "reversed" : "refunded"
                    fakes.settlements.withLock { $0.append(path) }
                    return ServiceResponse(.created, json: ["id": .string(path.split(separator: "/")[1].description), "status": status])
                }
                if request.head.path == "/authorizations" {
                    let body = try JSON(parsing: request.body)
                    let card = fakes.cards.withLock { $0[body["card_id"].string ?? ""] } ?? .null
                    let approved = card["last_four"] != "4448"
                    return ServiceResponse(.created, json: [
                        "id": .string(IDs.random(40)), "order_id": body["order_id"], "status": approved ? "approved" : "declined",
                        "amount": approved ? body["amount"] : 0, "currency": "USD", "response_code": approved ? "00" : "05",
                        "message": approved ? "Approved" : "Do Not Honor",
                    ])
                }
                if request.head.method == .post {
                    let body = try JSON(parsing: request.body)
                    guard let number = body["number"].string?.filter(\.isNumber), number.count >= 12 else {
                        return ServiceResponse(.badRequest, json: ["errors": [["category_code": "request", "description": "number: is required"]]])
                    }
                    let id = IDs.make("CC")
                    let card: JSON = [
                        "id": .string(id), "last_four": .string(String(number.suffix(4))), "brand": "Visa", "fingerprint": .string("fp-\(number)"),
                        "expiration_month": 12, "expiration_year": 2030, "cvv_match": "yes", "name": body["name"], "avs_street_match": nil,
                        "avs_postal_match": nil, "address": ["postal_code": body["address"]["postal_code"]],
                        "bank_name": "", "tenant": tenant.map(JSON.string) ?? nil,
                    ]
                    fakes.cards.withLock { $0[id] = card }
                    return ServiceResponse(.created, json: card)
                }
                let id = String((request.head.path ?? "").split(separator: "/").last ?? "")
                guard let card = fakes.cards.withLock({ $0[id] }), card["tenant"].isNull || card["tenant"].string == tenant else {
                    return ServiceResponse(.notFound, json: ["errors": [["category_code": "not-found", "description": .string("Card \(id) not found.")]]])
                }
                return ServiceResponse(.ok, json: card)
            },
            .fraud: { request in
                if request.head.path == "/underwriting" {
                    let identity = try JSON(parsing: request.body)
                    return ServiceResponse(.ok, json: ["merchant_status": identity["name"].isNull ? "no-match" : "underwritten", "missing": []])
                }
                await fakes.fraudGate.hold()
                guard let (decision, csc) = fakes.verdict.withLock({ $0 }) else {
                    return ServiceResponse(.internalServerError, json: ["errors": [["description": "fraud is down"]]])
                }
                return ServiceResponse(.created, json: ["id": .string(IDs.make("FC")), "score": 10, "decision": .string(decision),
                                                        "csc_check": .string(csc), "reasons": []])
            },
        ])
        service = try PaymentsService(environment: ServiceEnvironment(transport: transport, database: database, logger: transport.logger),
                                      requestKey: Self.requestKey)
        transport.local.register(service)
    }

    /// One key for every instance, as instances sharing a database share one: a retry is recognised
    /// whichever instance it reaches.
    static let requestKey = SymmetricKey(size: .bits256)

    /// A merchant's client, with its marketplace opened.
    func merchant() async throws -> StackClient {
        let merchant = try await transport.merchant()
        #expect(try await merchant.post("/marketplaces", ["name": "Unit Market"]).status == .created)
        return merchant
    }

    var anonymous: StackClient { transport.client(.payments) }
}

extension ServiceResponse {
    /// The first resource of the envelope, requiring `status`.
    func first(_ plural: String, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        try #require(self.status.code == status, "expected \(status), got \(self.status.code): \(bodyText)", sourceLocation: sourceLocation)
        return json?[plural][0] ?? .null
    }

    /// The category of the error this response carries, requiring `status`.
    func category(_ status: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        try #require(self.status.code == status, "expected \(status), got \(self.status.code): \(bodyText)", sourceLocation: sourceLocation)
        return json?["errors"][0]["category_code"].string
    }
}
