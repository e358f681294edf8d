import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit
import Synchronization

/// The merchant account a sandbox is set up for: the connection credentials and merchant ids it accepts.
public struct MerchantAccount: Sendable {
    public var username: String
    public var password: String
    public var merchantIDs: Set<String>

    public init(username: String, password: String, merchantIDs: Set<String>) {
        (self.username, self.password, self.merchantIDs) = (username, password, merchantIDs)
    }

    /// The account the payments system's vault is configured with by default.
    public static let payments = MerchantAccount(username: "BALANCEDPAY", password: "sandbox-orbital-1", merchantIDs: ["700000000001"])
}

/// A card processor's test environment: what a merchant integrates against before going live.
///
/// It speaks the processor's own XML (see `OrbitalRequest`) at `POST /authorize`, refuses any
/// malformed field with the processor's error code, answers by test card and amount (`TestCards`), and
/// keeps a journal of everything it received at `GET /journal` — the test-only window a real sandbox
/// gives through its merchant portal. It is not one of the payments system's services: it runs as its
/// own program (`harness partner-sandbox`), or in process for the in-memory suites.
public struct ProcessorSandbox: ServiceApp {
    public let name: ServiceName = "processor"
    public let database: ServiceDatabase
    let account: MerchantAccount
    let environment: ServiceEnvironment
    let running = RunningTraces()

    /// Its migrations, for rehearsing a deploy on a copy of production's data.
    public static var migrator: DatabaseMigrator { SandboxStore.migrator }

    public init(environment: ServiceEnvironment, account: MerchantAccount = .payments) throws {
        self.environment = environment
        self.account = account
        self.database = try environment.database.open("processor", migrator: SandboxStore.migrator)
    }

    public func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/authorize") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            return try await authorize(body, headers: request.headers).response
        }
        router.get("/journal") { request, _ -> Response in
            let orderID = request.uri.queryParameters["order_id"].map(String.init)
            return .json(["entries": try await database.read { try SandboxStore.journal(orderID: orderID, in: $0) }])
        }
    }

    /// An answer in the processor's format.
    struct Answer: Sendable {
        var status: HTTPResponse.Status = .ok
        var message: XMLMessage

        var response: Response {
            Response(status: status, headers: [.contentType: "application/xml"], body: .init(byteBuffer: message.encoded()))
        }

        static func refusal(_ error: OrbitalError, orderID: String? = nil, status: HTTPResponse.Status = .badRequest) -> Answer {
            var fields = [("ProcStatus", error.procStatus), ("StatusMsg", error.message)]
            if let orderID { fields.insert(("OrderID", orderID), at: 0) }
            return Answer(status: status, message: XMLMessage(root: "Response", message: "QuickResp", fields: fields))
        }
    }

    func authorize(_ body: ByteBuffer, headers: HTTPFields) async throws -> Answer {
        let received = environment.clock()
        var entry = SandboxStore.Entry(receivedAt: received, message: "unreadable", replayed: false, httpStatus: 400, request: [], answer: [])
        let answer: Answer
        do {
            answer = try await authorize(body, headers: headers, entry: &entry)
        } catch let error as OrbitalError {
            answer = .refusal(error, orderID: entry.orderID, status: error == .systemError ? .ok : .badRequest)
        }
        entry.httpStatus = answer.status.code
        entry.answer = answer.message.fields
        try await database.write { [entry] in try entry.insert($0) }
        return answer
    }

    func authorize(_ body: ByteBuffer, headers: HTTPFields, entry: inout SandboxStore.Entry) async throws -> Answer {
        let message: XMLMessage
        do { message = try XMLMessage(parsing: body) } catch { throw OrbitalError.malformed(error.description) }
        entry.message = message.message
        entry.request = message.fields.map { ($0.name, SandboxStore.Entry.shown($0.name, $0.value)) }
        entry.orderID = message["OrderID"]
        guard headers[.contentType] == "application/PTI81" else { throw OrbitalError.contentType }
        let request = try OrbitalRequest(message, account: account)
        guard let trace = try Self.trace(headers, merchantID: request.merchantID) else { return try await process(request) }
        entry.traceNumber = trace
        let key = "\(request.merchantID)/\(trace)"
        // Kept as a digest: the sandbox keeps no card number outside its journal's masked view.
        let text = String(StableHash.fnv1a(String(buffer: body)), radix: 16)
        await running.begin(key)
        defer { running.end(key) }
        let merchantID = request.merchantID
        if let first = try await database.read({ db -> [String]? in
            try Row.fetchOne(
                db, sql: "SELECT request, answer FROM trace WHERE merchant_id = ? AND number = ?",
                arguments: [merchantID, trace]
            ).map { [$0["request"], $0["answer"]] }
        }) {
            guard first[0] == text else { throw OrbitalError.traceReused }
            entry.replayed = true
            return Answer(message: try XMLMessage(parsing: ByteBuffer(string: first[1])))
        }
        let answer = try await process(request)
        try await database.write {
            try $0.execute(
                sql: "INSERT INTO trace (merchant_id, number, request, answer) VALUES (?, ?, ?, ?)",
                arguments: [request.merchantID, trace, text, String(buffer: answer.message.encoded())])
        }
        return answer
    }

    /// Orbital's retry headers: `Trace-number` (1 to 16 digits) with the `Merchant-ID` it belongs to.
    static func trace(_ headers: HTTPFields, merchantID: String) throws(OrbitalError) -> String? {
        guard let trace = headers[.traceNumber] else { return nil }
        guard (1...16).contains(trace.count), trace.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalid("Trace-number", "must be 1 to 16 digits")
        }
        guard headers[.merchantID] == merchantID else { throw .invalid("Merchant-ID", "must be sent with Trace-number and match <MerchantID>") }
        return trace
    }

    func process(_ request: OrbitalRequest) async throws -> Answer {
        switch request {
        case .newOrder(let order): try await newOrder(order)
        case .markForCapture(let reference): try await capture(reference)
        case .reversal(let reference): try await reverse(reference)
        }
    }

    func newOrder(_ order: OrbitalRequest.NewOrder) async throws -> Answer {
        let header = order.header
        var fields: [(String, String)] = [
            ("IndustryType", order.industryType), ("MessageType", order.messageType), ("MerchantID", header.merchantID),
            ("TerminalID", header.terminalID), ("CardBrand", order.cardBrand ?? ""),
            ("AccountNum", order.accountNum.map { SandboxStore.Entry.shown("AccountNum", $0) } ?? ""), ("OrderID", header.orderID),
        ]
        let ref = Self.txRefNum()
        if order.messageType == "R" { return try await refund(order, ref: ref, fields: fields) }
        var approved = order.amount
        var (approval, code, status) = ("1", "00", "Approved")
        switch TestCards.outcome(number: order.accountNum, amount: order.amount) {
        case .approve: break
        case .decline(let declined, let message): (approval, code, status) = ("0", declined, message)
        case .partial(let amount): (approved, code, status) = (amount, "10", "Partial Approval")
        case .slow: try await environment.sleep(TestCards.slowAnswer)
        case .systemError: throw OrbitalError.systemError
        }
        if approval == "1", order.amount > 0 {
            let captured = order.messageType == "AC" ? approved : 0
            try await database.write { [approved] in
                try SandboxStore.Transaction(
                    ref: ref, merchantId: header.merchantID, orderId: header.orderID, messageType: order.messageType,
                    amount: approved, captured: captured, refunded: 0, voided: false
                ).insert($0)
            }
        }
        fields += [
            ("TxRefNum", ref), ("TxRefIdx", "0"), ("ProcStatus", "0"), ("ApprovalStatus", approval), ("RespCode", code),
            ("AVSRespCode", TestCards.addressAnswer(zip: order.avsZip, street: order.avsAddress1)),
            ("CVV2RespCode", TestCards.securityCodeAnswer(number: order.accountNum, code: order.cardSecVal)),
            ("AuthCode", approval == "1" ? String(ref.prefix(6)).uppercased() : ""), ("StatusMsg", status),
            ("RequestedAmount", String(order.amount)), ("RedeemedAmount", approval == "1" ? String(approved) : "0"),
            ("PartialAuthOccurred", approved < order.amount ? "Y" : "N"),
        ]
        return Answer(message: XMLMessage(root: "Response", message: "NewOrderResp", fields: fields))
    }

    /// A refund of a captured transaction, by its `TxRefNum`, or a credit to a card.
    func refund(_ order: OrbitalRequest.NewOrder, ref: String, fields: [(String, String)]) async throws -> Answer {
        if let original = order.txRefNum {
            try await database.write { db in
                var transaction = try Self.transaction(original, order.header, in: db)
                guard !transaction.voided, transaction.captured > 0 else { throw OrbitalError.state("Transaction \(original) was never captured") }
                guard order.amount <= transaction.captured - transaction.refunded else {
                    throw OrbitalError.state("Refund of \(order.amount) exceeds the \(transaction.captured - transaction.refunded) left to refund")
                }
                transaction.refunded += order.amount
                try transaction.update(db)
            }
        }
        return Answer(
            message: XMLMessage(
                root: "Response", message: "NewOrderResp",
                fields: fields + [
                    ("TxRefNum", ref), ("TxRefIdx", "0"), ("ProcStatus", "0"), ("ApprovalStatus", "1"), ("RespCode", "00"), ("StatusMsg", "Approved"),
                ]))
    }

    func capture(_ reference: OrbitalRequest.Reference) async throws -> Answer {
        let amount = try await database.write { db -> Int in
            var transaction = try Self.transaction(reference.txRefNum, reference.header, in: db)
            guard transaction.messageType == "A", transaction.captured == 0, !transaction.voided else {
                throw OrbitalError.state("Transaction \(reference.txRefNum) cannot be captured: it is captured or voided")
            }
            let amount = reference.amount ?? transaction.amount
            guard amount <= transaction.amount else { throw OrbitalError.state("Capture of \(amount) exceeds the authorized \(transaction.amount)") }
            transaction.captured = amount
            try transaction.update(db)
            return amount
        }
        return Answer(
            message: XMLMessage(
                root: "Response", message: "MarkForCaptureResp",
                fields: reference.header.fields + [
                    ("TxRefNum", reference.txRefNum), ("TxRefIdx", "1"), ("ProcStatus", "0"), ("StatusMsg", ""), ("Amount", String(amount)),
                    ("ApprovalStatus", "1"), ("RespCode", "00"),
                ]))
    }

    func reverse(_ reference: OrbitalRequest.Reference) async throws -> Answer {
        try await database.write { db in
            var transaction = try Self.transaction(reference.txRefNum, reference.header, in: db)
            guard !transaction.voided, transaction.refunded == 0 else {
                throw OrbitalError.state("Transaction \(reference.txRefNum) cannot be reversed: it is voided or refunded")
            }
            transaction.voided = true
            try transaction.update(db)
        }
        return Answer(
            message: XMLMessage(
                root: "Response", message: "ReversalResp",
                fields: reference.header.fields + [
                    ("TxRefNum", reference.txRefNum), ("TxRefIdx", "0"), ("OutstandingAmt", "0"), ("ProcStatus", "0"), ("StatusMsg", ""),
                ]))
    }

    static func transaction(_ ref: String, _ header: OrbitalRequest.Header, in db: Database) throws -> SandboxStore.Transaction {
        guard let transaction = try SandboxStore.Transaction.fetchOne(db, key: ref), transaction.merchantId == header.merchantID else {
            throw OrbitalError.unknownTransaction(ref)
        }
        guard transaction.orderId == header.orderID else {
            throw OrbitalError.invalid("OrderID", "does not match transaction \(ref)")
        }
        return transaction
    }

    static func txRefNum() -> String {
        var random = IdentifierRandom()
        return (0..<5).map { _ in
            let word = random.next()
            let hex = String(word, radix: 16, uppercase: true)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined().prefix(40).description
    }
}

extension OrbitalRequest {
    var merchantID: String {
        switch self {
        case .newOrder(let order): order.header.merchantID
        case .markForCapture(let reference), .reversal(let reference): reference.header.merchantID
        }
    }
}

extension OrbitalRequest.Header {
    var fields: [(String, String)] { [("MerchantID", merchantID), ("TerminalID", terminalID), ("OrderID", orderID)] }
}

/// Requests with one trace number are handled one at a time: a retry that arrives while the first is
/// still being answered waits for it, then gets its answer.
final class RunningTraces: Sendable {
    private let waiting = Mutex<[String: [CheckedContinuation<Bool, Never>]]>([:])

    /// Returns once this request is the only one running with `key`.
    func begin(_ key: String) async {
        while true {
            let owner = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let first = waiting.withLock { running -> Bool in
                    guard running[key] != nil else {
                        running[key] = []
                        return true
                    }
                    running[key]!.append(continuation)
                    return false
                }
                if first { continuation.resume(returning: true) }
            }
            if owner { return }
        }
    }

    func end(_ key: String) {
        let waiters = waiting.withLock { $0.removeValue(forKey: key) ?? [] }
        waiters.forEach { $0.resume(returning: false) }
    }
}
