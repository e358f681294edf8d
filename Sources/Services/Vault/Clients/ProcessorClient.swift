import HTTPTypes
import NIOCore
import ServiceKit

/// Vault's merchant account at the card processor, and where the processor is.
public struct ProcessorAccount: Sendable {
    public var username: String
    public var password: String
    /// The processor's platform: `000001` (Salem) or `000002` (PNS).
    public var bin: String
    public var merchantID: String
    public var terminalID: String

    public init(username: String, password: String, bin: String, merchantID: String, terminalID: String) {
        (self.username, self.password, self.bin, self.merchantID, self.terminalID) = (username, password, bin, merchantID, terminalID)
    }

    /// The account set up at the processor's test environment.
    public static let sandbox = ProcessorAccount(
        username: "BALANCEDPAY", password: "sandbox-orbital-1", bin: "000002",
        merchantID: "700000000001", terminalID: "001")
}

/// What the processor said about one authorization.
struct ProcessorAnswer: Sendable, Equatable {
    var txRefNum: String
    var approved: Bool
    var responseCode: String
    var message: String
    var requestedAmount: Int
    var approvedAmount: Int
    /// `AVSRespCode` and `CVV2RespCode`, "" when not checked.
    var address: String
    var securityCode: String
}

/// Vault's calls to the card processor, in the processor's XML (Orbital's `NewOrder` and `Reversal`).
///
/// Every request carries a `Trace-number` derived from its order id, so a request resent after a
/// timeout is answered with the first answer and never moves money twice: the route is retried once.
struct ProcessorClient: Sendable {
    static let authorize = PeerRoute("processor", .post, "/authorize", timeout: .seconds(2), retries: 1)
    let peers: ServiceClient
    let account: ProcessorAccount

    /// A card: its number (held only for this call), `MMYY` expiry, brand and billing address.
    struct CardData: Sendable {
        var number: String
        var expiry: String
        var brand: String
        var postalCode: String?
        var street: String?
        var country: String?
    }

    /// Authorizes `amount` (minor units; 0 verifies the card and its security code without charging),
    /// capturing it at once when `capture`.
    func authorize(
        _ card: CardData, amount: Int, currency: String, orderID: String, capture: Bool, cvv: String? = nil,
        statementName: String? = nil
    ) async throws -> ProcessorAnswer {
        var fields: [(name: String, value: String)] =
            credentials + [
                ("IndustryType", "EC"), ("MessageType", capture ? "AC" : "A"), ("BIN", account.bin), ("MerchantID", account.merchantID),
                ("TerminalID", account.terminalID), ("CardBrand", Self.brandCodes[card.brand] ?? ""), ("AccountNum", card.number),
                ("Exp", card.expiry), ("CurrencyCode", Self.currencyCodes[currency] ?? currency), ("CurrencyExponent", "2"),
            ]
        if let cvv { fields += [("CardSecValInd", "1"), ("CardSecVal", cvv)] }
        if let postal = card.postalCode { fields.append(("AVSzip", postal)) }
        if let street = card.street { fields.append(("AVSaddress1", String(street.prefix(30)))) }
        if let country = card.country { fields.append(("AVScountryCode", country)) }
        fields += [("OrderID", orderID), ("Amount", String(amount))]
        if let statementName { fields.append(("SDMerchantName", String(statementName.prefix(25)))) }
        let answer = try await send(XMLMessage(root: "Request", message: "NewOrder", fields: fields), orderID: orderID, expecting: "NewOrderResp")
        func number(_ name: String) -> Int { Int(answer[name] ?? "") ?? 0 }
        return ProcessorAnswer(
            txRefNum: answer["TxRefNum"] ?? "", approved: answer["ApprovalStatus"] == "1",
            responseCode: answer["RespCode"] ?? "", message: answer["StatusMsg"] ?? "",
            requestedAmount: number("RequestedAmount"), approvedAmount: number("RedeemedAmount"),
            address: (answer["AVSRespCode"] ?? "").trimmingCharacters(in: .whitespaces),
            securityCode: (answer["CVV2RespCode"] ?? "").trimmingCharacters(in: .whitespaces))
    }

    /// Voids an authorization the processor approved.
    func reverse(_ txRefNum: String, orderID: String) async throws {
        let fields =
            credentials + [
                ("TxRefNum", txRefNum), ("TxRefIdx", "0"), ("OrderID", orderID), ("BIN", account.bin), ("MerchantID", account.merchantID),
                ("TerminalID", account.terminalID),
            ]
        _ = try await send(XMLMessage(root: "Request", message: "Reversal", fields: fields), orderID: orderID, expecting: "ReversalResp")
    }

    /// Captures `amount` of an authorization (`A`) the processor approved.
    func capture(_ txRefNum: String, orderID: String, amount: Int) async throws {
        let fields =
            credentials + [
                ("OrderID", orderID), ("Amount", String(amount)), ("BIN", account.bin), ("MerchantID", account.merchantID),
                ("TerminalID", account.terminalID), ("TxRefNum", txRefNum),
            ]
        _ = try await send(
            XMLMessage(root: "Request", message: "MarkForCapture", fields: fields), orderID: orderID,
            expecting: "MarkForCaptureResp")
    }

    /// Refunds `amount` of a captured transaction by its reference; `reference` names this refund, so
    /// each refund of one order has its own trace number.
    func refund(_ txRefNum: String, orderID: String, amount: Int, currency: String, reference: String) async throws -> String {
        let fields =
            credentials + [
                ("IndustryType", "EC"), ("MessageType", "R"), ("BIN", account.bin), ("MerchantID", account.merchantID),
                ("TerminalID", account.terminalID), ("CurrencyCode", Self.currencyCodes[currency] ?? currency), ("CurrencyExponent", "2"),
                ("OrderID", orderID), ("Amount", String(amount)), ("TxRefNum", txRefNum),
            ]
        let answer = try await send(
            XMLMessage(root: "Request", message: "NewOrder", fields: fields), orderID: orderID,
            expecting: "NewOrderResp", traceKey: reference)
        return answer["TxRefNum"] ?? ""
    }

    var credentials: [(name: String, value: String)] {
        [("OrbitalConnectionUsername", account.username), ("OrbitalConnectionPassword", account.password)]
    }

    /// - Parameter traceKey: what makes this request one of its kind for its order, when an order has several (refunds).
    func send(_ request: XMLMessage, orderID: String, expecting: String, traceKey: String = "") async throws -> XMLMessage {
        var headers = HTTPFields()
        headers[.contentType] = "application/PTI81"
        headers[.traceNumber] = Self.traceNumber(orderID: orderID, message: request.message + (request["MessageType"] ?? "") + traceKey)
        headers[.merchantID] = account.merchantID
        let response = try await peers.exchange(Self.authorize, path: "/authorize", body: request.encoded(), headers: headers)
        let answer: XMLMessage
        do {
            answer = try XMLMessage(parsing: response.body)
        } catch {
            throw ServiceError(
                .badGateway, "processor-error", "processor POST /authorize answered \(response.status.code) with no readable XML: \(error)",
                categoryType: "logical")
        }
        guard answer.message == expecting, answer["ProcStatus"] == "0" else {
            let status = answer["ProcStatus"] ?? "?"
            // What the caller asked of an order the processor holds in another state, or of an order id it used
            // before for another request: the caller's to resolve (a 409), not a failure of the processor (a 502).
            switch status {
            case Self.stateRefused:
                throw ServiceError(
                    .conflict, "transaction-state", "The processor refused \(request.message) \(orderID): \(answer["StatusMsg"] ?? "")",
                    categoryType: "logical", extras: ["proc_status": .string(status)])
            case Self.traceReused:
                throw ServiceError(
                    .conflict, "order-id-reused", "Order \(orderID) was sent to the processor before with another request.",
                    categoryType: "logical", extras: ["proc_status": .string(status), "order_id": .string(orderID)])
            default: break
            }
            throw ServiceError(
                .badGateway, "processor-error",
                "processor POST /authorize refused \(request.message) \(orderID): \(status) \(answer["StatusMsg"] ?? "")",
                categoryType: "logical", extras: ["proc_status": .string(status)])
        }
        return answer
    }

    /// A stable number (1 to 15 digits) for one message about one order: FNV-1a of both.
    static func traceNumber(orderID: String, message: String) -> String {
        String(StableHash.fnv1a("\(message)/\(orderID)") % 999_999_999_999_999 + 1)
    }

    /// The processor's `ProcStatus` for a transaction whose state refuses the request (captured, voided,
    /// refunded in full), and for a `Trace-number` it has seen with a different request.
    static let stateRefused = "10021", traceReused = "10030"

    static let brandCodes = ["Visa": "VI", "MasterCard": "MC", "American Express": "AX", "Discover": "DI"]
    static let currencyCodes = ["USD": "840"]
}
