@preconcurrency import Crypto
import Foundation
import HTTPTypes
import Harness
import PaymentsSystem
import ServiceKit
import Synchronization
import Testing

@testable import Payments

/// Payments alone: vault and fraud answered by small fakes at the transport, which remember the
/// cards they tokenized and give the fraud verdict a test sets. Every answer the fakes give is checked
/// against vault's and fraud's documents (`Isolated`), so a fake that drifts from its provider fails
/// the test that used it.
final class PaymentsAlone: Sendable {
    let transport: Isolated
    let service: PaymentsService
    let fakes: Fakes

    final class Fakes: Sendable {
        /// The cards vault tokenized, by id, with the tenant each belongs to.
        let cards = Mutex<[String: (card: JSON, tenant: String?)]>([:])
        /// The captures, reversals and refunds payments asked vault for, by path.
        let settlements = Mutex<[String]>([])
        /// Fraud's next verdict: decision and csc_check, or nil for a 500.
        let verdict = Mutex<(decision: String, csc: String)?>(("accept", "pass"))
        /// Holds fraud's checks while closed.
        let fraudGate = HopPause(holding: false)
        /// Holds payments' duplicates polling for a key another instance holds, while closed.
        let pollGate = HopPause(holding: false)
        /// Where requests got to, in order: fraud's checks, payments' polls.
        let arrivals = Arrivals()
    }

    /// - Parameters:
    ///   - database: where payments keeps its data; a file lets a second instance share it.
    ///   - fakes: the fakes of vault and fraud, shared with another instance.
    init(database: DatabaseLocation = .inMemory, fakes: Fakes = Fakes(), sourceLocation: SourceLocation = #_sourceLocation) throws {
        self.fakes = fakes
        transport = try Isolated(stubs: [.vault: Self.vault(fakes), .fraud: Self.fraud(fakes)], sourceLocation: sourceLocation)
        var service = try PaymentsService(
            environment: ServiceEnvironment(transport: transport, database: database, logger: transport.logger),
            requestKey: Self.requestKey)
        let poll = service.waitToPoll
        service.waitToPoll = {
            fakes.arrivals.arrive(.polling)
            await fakes.pollGate.hold()
            try await poll()
        }
        self.service = service
        transport.local.register(service)
    }

    /// Vault's fake: tokenizes, reads and authorizes cards as vault's document says it does.
    static func vault(_ fakes: Fakes) -> Isolated.Stub {
        { request in
            let tenant = request.head.headerFields[.tenant]
            if let path = request.head.path, path.hasPrefix("/authorizations/") {
                let status: JSON = path.hasSuffix("/captures") ? "captured" : path.hasSuffix("/reversals") ? "reversed" : "refunded"
                let body = try JSON(parsing: request.body)
                fakes.settlements.withLock { $0.append(path) }
                return ServiceResponse(
                    .created,
                    json: [
                        "id": .string(path.split(separator: "/")[1].description), "status": status,
                        "order_id": "W1", "amount": body["amount"].isNull ? 0 : body["amount"],
                    ])
            }
            if request.head.path == "/authorizations" {
                let body = try JSON(parsing: request.body)
                let card = fakes.cards.withLock { $0[body["card_id"].string ?? ""]?.card } ?? .null
                let approved = card["last_four"] != "4448"
                return ServiceResponse(
                    .created,
                    json: [
                        "id": .string(IDs.random(40)), "order_id": body["order_id"], "status": approved ? "approved" : "declined",
                        "amount": approved ? body["amount"] : 0, "currency": "USD", "response_code": approved ? "00" : "05",
                        "message": approved ? "Approved" : "Do Not Honor",
                    ])
            }
            if request.head.method == .post {
                let body = try JSON(parsing: request.body)
                guard let number = body["number"].string?.filter(\.isNumber), number.count >= 12 else {
                    return Isolated.failure(.invalidField("number", "is required"), from: .vault)
                }
                let id = IDs.make("CC")
                let card: JSON = [
                    "id": .string(id), "last_four": .string(String(number.suffix(4))), "brand": "Visa",
                    "fingerprint": .string("fp-\(number.count)-\(number.suffix(4))"),
                    "bin": .string(String(number.prefix(6))), "expiration_month": 12, "expiration_year": 2030, "cvv_match": "yes",
                    "name": body["name"], "avs_street_match": nil, "avs_postal_match": nil,
                    "address": [
                        "line1": nil, "line2": nil, "city": nil, "state": nil, "postal_code": body["address"]["postal_code"],
                        "country_code": nil,
                    ],
                    "bank_name": "", "created_at": "2016-01-01T00:00:00.000000Z",
                ]
                fakes.cards.withLock { $0[id] = (card, tenant) }
                return ServiceResponse(.created, json: card)
            }
            let id = String((request.head.path ?? "").split(separator: "/").last ?? "")
            guard let (card, owner) = fakes.cards.withLock({ $0[id] }), owner == nil || owner == tenant else {
                return Isolated.failure(.notFound("Card \(id)"), from: .vault)
            }
            // Vault erases a deleted card's number and answers without a body; the card stays readable.
            if request.head.method == .delete { return ServiceResponse(head: HTTPResponse(status: .noContent)) }
            return ServiceResponse(.ok, json: card)
        }
    }

    /// Fraud's fake: underwrites any merchant with a name, and answers each check with the verdict set.
    static func fraud(_ fakes: Fakes) -> Isolated.Stub {
        { request in
            if request.head.path == "/underwriting" {
                let identity = try JSON(parsing: request.body)
                return ServiceResponse(.ok, json: ["merchant_status": identity["name"].isNull ? "no-match" : "underwritten", "missing": []])
            }
            fakes.arrivals.arrive(.fraud)
            await fakes.fraudGate.hold()
            guard let (decision, csc) = fakes.verdict.withLock({ $0 }) else {
                return Isolated.failure(ServiceError(.internalServerError, "internal-error", "fraud is down", categoryType: "logical"), from: .fraud)
            }
            let check = try JSON(parsing: request.body)
            return ServiceResponse(
                .created,
                json: [
                    "id": .string(IDs.make("FC")), "score": 10, "decision": .string(decision),
                    "csc_check": .string(csc), "reasons": [], "card_id": check["card_id"],
                    "amount": check["amount"], "currency": check["currency"],
                    "created_at": "2016-01-01T00:00:00.000000Z",
                ])
        }
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

/// Where the fakes' requests got to, in order, so a test waits until a request reached somewhere
/// rather than for a while.
final class Arrivals: Sendable {
    enum Place: Sendable, Equatable {
        /// A check reached fraud's fake.
        case fraud
        /// A duplicate found its key held by another instance and is about to poll.
        case polling
        /// A request the test made ended (`Arrivals.ending`).
        case ended
    }

    private let state = Mutex<(places: [Place], waiting: [(index: Int, continuation: CheckedContinuation<Place, Never>)])>(([], []))

    /// How many arrivals so far: the index of the next.
    var count: Int { state.withLock { $0.places.count } }

    func arrive(_ place: Place) {
        let woken = state.withLock { state in
            state.places.append(place)
            let index = state.places.count - 1
            defer { state.waiting.removeAll { $0.index == index } }
            return state.waiting.filter { $0.index == index }.map(\.continuation)
        }
        woken.forEach { $0.resume(returning: place) }
    }

    /// Where the arrival numbered `index` (from 0) was, once it has happened.
    func arrival(_ index: Int) async -> Place {
        await withCheckedContinuation { continuation in
            let place = state.withLock { state -> Place? in
                if index < state.places.count { return state.places[index] }
                state.waiting.append((index, continuation))
                return nil
            }
            if let place { continuation.resume(returning: place) }
        }
    }

    /// Runs `request` as a task that arrives at `.ended` when it ends, however it ends.
    func ending<T: Sendable>(_ request: @escaping @Sendable () async throws -> T) -> Task<T, any Error> {
        Task {
            defer { arrive(.ended) }
            return try await request()
        }
    }
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
