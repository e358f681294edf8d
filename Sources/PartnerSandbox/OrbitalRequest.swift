import ServiceKit

/// A request the sandbox accepts, validated field by field the way the processor's XML interface does.
///
/// The wire format follows Chase Paymentech Orbital's XML interface: a `<Request>` holding one
/// `<NewOrder>` (message type `A` authorize, `AC` authorize and capture, `R` refund), `<MarkForCapture>`
/// or `<Reversal>`, with the merchant's connection credentials, BIN, merchant id and terminal, the
/// amount in minor units with an ISO 4217 numeric currency code and exponent, the card number and
/// `MMYY` expiry, and a security-code indicator. Every field is checked; the first problem is the
/// answer, as a `ProcStatus` code and message (`OrbitalError`).
enum OrbitalRequest: Equatable {
    case newOrder(NewOrder)
    case markForCapture(Reference)
    case reversal(Reference)

    struct Header: Equatable {
        var bin: String
        var merchantID: String
        var terminalID: String
        var orderID: String
    }

    struct NewOrder: Equatable {
        var header: Header
        var messageType: String
        var industryType: String
        var cardBrand: String?
        var accountNum: String?
        var exp: String?
        var currencyCode: String
        var currencyExponent: String
        var cardSecValInd: String?
        var cardSecVal: String?
        var avsZip: String?
        var avsAddress1: String?
        var avsCountryCode: String?
        var amount: Int
        var softDescriptor: String?
        var txRefNum: String?
    }

    /// A capture or reversal of an earlier authorization, named by its `TxRefNum`.
    struct Reference: Equatable {
        var header: Header
        var txRefNum: String
        var amount: Int?
    }

    static let newOrderFields: Set<String> = [
        "OrbitalConnectionUsername", "OrbitalConnectionPassword", "IndustryType", "MessageType", "BIN", "MerchantID",
        "TerminalID", "CardBrand", "AccountNum", "Exp", "CurrencyCode", "CurrencyExponent", "CardSecValInd", "CardSecVal",
        "AVSzip", "AVSaddress1", "AVScountryCode", "OrderID", "Amount", "SDMerchantName", "TxRefNum", "Comments",
    ]
    static let captureFields: Set<String> = [
        "OrbitalConnectionUsername", "OrbitalConnectionPassword", "OrderID", "Amount", "BIN", "MerchantID", "TerminalID", "TxRefNum",
    ]
    static let reversalFields: Set<String> = [
        "OrbitalConnectionUsername", "OrbitalConnectionPassword", "TxRefNum", "TxRefIdx", "AdjustedAmt", "OrderID", "BIN",
        "MerchantID", "TerminalID",
    ]
    /// ISO 4217 numeric codes the sandbox settles, with their exponents.
    static let currencies = ["840": "2", "124": "2", "978": "2", "826": "2", "392": "0"]

    /// Validates `message` for `account`; the first problem found is thrown.
    init(_ message: XMLMessage, account: MerchantAccount) throws(OrbitalError) {
        guard message.root == "Request" else { throw .malformed("the root element must be <Request>, not <\(message.root)>") }
        var fields = Fields(message)
        let known: Set<String> =
            switch message.message {
            case "NewOrder": Self.newOrderFields
            case "MarkForCapture": Self.captureFields
            case "Reversal": Self.reversalFields
            default: throw .unknownMessage(message.message)
            }
        try fields.checkNames(known)
        guard try fields.required("OrbitalConnectionUsername") == account.username,
            try fields.required("OrbitalConnectionPassword") == account.password
        else { throw .credentials }
        let bin = try fields.required("BIN", ["000001", "000002"], "must be 000001 (Salem) or 000002 (PNS)")
        let merchantID = try fields.required("MerchantID", digits: [6, 12])
        guard account.merchantIDs.contains(merchantID) else { throw .unknownMerchant(merchantID) }
        let terminalID = try fields.required("TerminalID", digits: [3])
        if bin == "000001", terminalID != "001" { throw .invalid("TerminalID", "must be 001 on BIN 000001") }
        let orderID = try fields.required("OrderID", matching: 1...22, "1 to 22 letters, digits or dashes") {
            $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-")
        }
        let header = Header(bin: bin, merchantID: merchantID, terminalID: terminalID, orderID: orderID)
        switch message.message {
        case "NewOrder": self = .newOrder(try Self.newOrder(&fields, header))
        case "MarkForCapture":
            self = .markForCapture(
                Reference(
                    header: header, txRefNum: try fields.txRefNum(),
                    amount: try fields.amount("Amount", required: false)))
        default:
            if let index = fields.optional("TxRefIdx"), index != "0" { throw .invalid("TxRefIdx", "must be 0") }
            self = .reversal(
                Reference(
                    header: header, txRefNum: try fields.txRefNum(),
                    amount: try fields.amount("AdjustedAmt", required: false)))
        }
    }

    static func newOrder(_ fields: inout Fields, _ header: Header) throws(OrbitalError) -> NewOrder {
        let messageType = try fields.required("MessageType", ["A", "AC", "R"], "must be A, AC or R")
        let industryType = try fields.required("IndustryType", ["EC", "MO", "RC", "IV", "IN"], "must be EC, MO, RC, IV or IN")
        let currencyCode = try fields.required("CurrencyCode", digits: [3])
        guard let exponent = currencies[currencyCode] else { throw .invalid("CurrencyCode", "\(currencyCode) is not settled here") }
        let currencyExponent = try fields.required("CurrencyExponent", [exponent], "must be \(exponent) for currency \(currencyCode)")
        let amount = try fields.amount("Amount", required: true)!
        if amount == 0, messageType != "A" { throw .invalid("Amount", "0 is only an account verification (MessageType A)") }
        let txRefNum = messageType == "R" ? fields.optional("TxRefNum") : nil
        if messageType != "R", fields.optional("TxRefNum") != nil { throw .invalid("TxRefNum", "is only sent with a refund (R)") }
        if let txRefNum, txRefNum.count != 40 || !txRefNum.allSatisfy(\.isHexDigit) { throw .invalid("TxRefNum", "must be 40 hex digits") }
        var order = NewOrder(
            header: header, messageType: messageType, industryType: industryType, currencyCode: currencyCode,
            currencyExponent: currencyExponent, amount: amount, txRefNum: txRefNum)
        if txRefNum == nil {
            let number = try fields.required("AccountNum", matching: 13...19, "13 to 19 digits") { $0.isASCII && $0.isNumber }
            guard Luhn.isValid(number) else { throw .invalid("AccountNum", "fails the Luhn check") }
            order.accountNum = number
            order.exp = try fields.expiry()
        } else if fields.optional("AccountNum") != nil {
            throw .invalid("AccountNum", "must not be sent with a TxRefNum")
        }
        order.cardBrand = fields.optional("CardBrand")
        if let brand = order.cardBrand, !["", "VI", "MC", "AX", "DI"].contains(brand) { throw .invalid("CardBrand", "must be VI, MC, AX or DI") }
        (order.cardSecValInd, order.cardSecVal) = try fields.securityCode(brand: order.cardBrand)
        order.avsZip = try fields.optional("AVSzip", 10, "at most 10 letters, digits, spaces or dashes") {
            $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "-")
        }
        order.avsAddress1 = try fields.optional("AVSaddress1", 30, "at most 30 characters without % | ^ \\ /") { !"%|^\\/".contains($0) }
        order.avsCountryCode = try fields.optional("AVScountryCode", 2, "two capital letters") { $0.isASCII && $0.isUppercase }
        if let country = order.avsCountryCode, country.count != 2 { throw .invalid("AVScountryCode", "must be two capital letters") }
        order.softDescriptor = try fields.optional("SDMerchantName", 25, "at most 25 letters, digits, spaces, * . or -") {
            $0.isASCII && ($0.isLetter || $0.isNumber || " *.-".contains($0))
        }
        _ = try fields.optional("Comments", 64, "at most 64 characters") { _ in true }
        return order
    }
}

/// The fields of one message, read once each.
struct Fields {
    var values: [String: String] = [:]
    var duplicate: String?
    var names: [String] = []

    init(_ message: XMLMessage) {
        for (name, value) in message.fields {
            if values[name] != nil, duplicate == nil { duplicate = name }
            values[name] = value
            names.append(name)
        }
    }

    func checkNames(_ known: Set<String>) throws(OrbitalError) {
        if let unknown = names.first(where: { !known.contains($0) }) { throw .unknownField(unknown) }
        if let duplicate { throw .invalid(duplicate, "is sent twice") }
    }

    /// The field's value; nil when absent or empty (Orbital reads `<X/>` as absent).
    func optional(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    func required(_ name: String) throws(OrbitalError) -> String {
        guard let value = optional(name) else { throw .missing(name) }
        return value
    }

    func required(_ name: String, _ allowed: Set<String>, _ problem: String) throws(OrbitalError) -> String {
        let value = try required(name)
        guard allowed.contains(value) else { throw .invalid(name, problem) }
        return value
    }

    func required(_ name: String, digits lengths: [Int]) throws(OrbitalError) -> String {
        let value = try required(name)
        guard lengths.contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalid(name, "must be \(lengths.map(String.init).joined(separator: " or ")) digits")
        }
        return value
    }

    func required(
        _ name: String, matching lengths: ClosedRange<Int>, _ problem: String,
        _ allowed: (Character) -> Bool
    ) throws(OrbitalError) -> String {
        let value = try required(name)
        guard lengths.contains(value.count), value.allSatisfy(allowed) else { throw .invalid(name, "must be \(problem)") }
        return value
    }

    func optional(_ name: String, _ length: Int, _ problem: String, _ allowed: (Character) -> Bool) throws(OrbitalError) -> String? {
        guard let value = optional(name) else { return nil }
        guard value.count <= length, value.allSatisfy(allowed) else { throw .invalid(name, "must be \(problem)") }
        return value
    }

    /// An amount in minor units: digits only (the decimal point is implied by the exponent), up to 12.
    func amount(_ name: String, required: Bool) throws(OrbitalError) -> Int? {
        guard let value = optional(name) else {
            if required { throw .missing(name) }
            return nil
        }
        guard (1...12).contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }), let amount = Int(value) else {
            throw .invalid(name, "must be 1 to 12 digits in minor units, with no decimal point")
        }
        return amount
    }

    func txRefNum() throws(OrbitalError) -> String {
        let value = try required("TxRefNum")
        guard value.count == 40, value.allSatisfy(\.isHexDigit) else { throw .invalid("TxRefNum", "must be 40 hex digits") }
        return value
    }

    /// `MMYY`.
    func expiry() throws(OrbitalError) -> String {
        let value = try required("Exp")
        guard value.count == 4, value.allSatisfy({ $0.isASCII && $0.isNumber }), let month = Int(value.prefix(2)), (1...12).contains(month) else {
            throw .invalid("Exp", "must be MMYY")
        }
        return value
    }

    /// `CardSecValInd` 1 (a code follows), 2 (illegible) or 9 (not on the card); `CardSecVal` is sent
    /// only with indicator 1: 4 digits for American Express, 3 for the others.
    func securityCode(brand: String?) throws(OrbitalError) -> (String?, String?) {
        let indicator = optional("CardSecValInd")
        let code = optional("CardSecVal")
        switch indicator {
        case nil:
            if code != nil { throw .invalid("CardSecValInd", "must be 1 when CardSecVal is sent") }
            return (nil, nil)
        case "1":
            guard let code else { throw .missing("CardSecVal") }
            let length = brand == "AX" ? 4 : 3
            guard code.count == length || (brand == nil || brand == "") && (3...4).contains(code.count),
                code.allSatisfy({ $0.isASCII && $0.isNumber })
            else {
                throw .invalid("CardSecVal", "must be \(brand == "AX" ? 4 : 3) digits")
            }
            return ("1", code)
        case "2", "9":
            if code != nil { throw .invalid("CardSecVal", "is only sent with CardSecValInd 1") }
            return (indicator, nil)
        default:
            throw .invalid("CardSecValInd", "must be 1, 2 or 9")
        }
    }
}

/// A refused request, as the processor answers it: a `ProcStatus` code and a message.
///
/// The codes are the sandbox's own, numbered in Orbital's style (0 is success; anything else means the
/// request was not processed); see the table in the BankingPartnerSandbox article (Sources/Harness/Harness.docc).
struct OrbitalError: Error, Equatable, CustomStringConvertible {
    var procStatus: String
    var message: String

    var description: String { "\(procStatus) \(message)" }

    static func malformed(_ problem: String) -> OrbitalError { OrbitalError(procStatus: "10001", message: "Malformed XML: \(problem)") }
    static func unknownMessage(_ name: String) -> OrbitalError {
        OrbitalError(procStatus: "10002", message: "Unknown message <\(name)>: expected NewOrder, MarkForCapture or Reversal")
    }
    static func unknownField(_ name: String) -> OrbitalError { OrbitalError(procStatus: "10003", message: "Unknown field <\(name)>") }
    static func missing(_ name: String) -> OrbitalError { OrbitalError(procStatus: "10004", message: "Missing required field <\(name)>") }
    static func invalid(_ name: String, _ problem: String) -> OrbitalError {
        OrbitalError(procStatus: "10005", message: "Invalid <\(name)>: \(problem)")
    }
    static let credentials = OrbitalError(procStatus: "10010", message: "Invalid OrbitalConnectionUsername or OrbitalConnectionPassword")
    static func unknownMerchant(_ id: String) -> OrbitalError { OrbitalError(procStatus: "10011", message: "Merchant \(id) is not set up") }
    static func unknownTransaction(_ ref: String) -> OrbitalError {
        OrbitalError(procStatus: "10020", message: "No transaction with TxRefNum \(ref) for this merchant")
    }
    static func state(_ problem: String) -> OrbitalError { OrbitalError(procStatus: "10021", message: problem) }
    static let traceReused = OrbitalError(procStatus: "10030", message: "Trace-number reused for a different request")
    static let contentType = OrbitalError(procStatus: "10040", message: "Content-Type must be application/PTI81")
    static let systemError = OrbitalError(procStatus: "20000", message: "System error: the authorization network did not answer")
}
