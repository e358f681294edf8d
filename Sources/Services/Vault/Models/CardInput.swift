import ServiceKit

/// A card as a client submits it, validated field by field.
///
/// Past expiry years are accepted (Balanced's test mode uses 12/2016); numbers may carry spaces or
/// dashes and numeric fields may come as strings, as Balanced's own clients sent them. Vault's OpenAPI
/// document describes a card from the same constants.
struct CardInput: Sendable, Equatable {
    static let months = 1...12, years = 1000...9999
    /// A card number as a string: 13 to 19 digits (what the processor takes), with any spaces or dashes between them.
    static let numberPattern = "[ -]*(?:[0-9][ -]*){13,19}"
    /// A card number sent as a JSON integer: 13 digits or more, and small enough to arrive exactly.
    static let numbers = 1_000_000_000_000...JSON.largestExactInteger
    static let cvvPattern = "[0-9]{3,4}", cvvNumbers = 100...9999
    static let countryPattern = "[A-Z]{2,3}"

    var number: String
    var expirationMonth: Int
    var expirationYear: Int
    var cvv: String?
    var name: String?
    var address: Address

    /// A billing address; every line may be absent.
    struct Address: Sendable, Equatable {
        static let fields = ["line1", "line2", "city", "state", "postal_code", "country_code"]
        var lines: [String: String]

        var json: JSON { .object(Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, lines[$0].map(JSON.string) ?? .null) })) }
    }

    /// - Parameter body: the request's body; the fields read are reported as `RequestFields` does.
    init(_ body: JSON) throws(ServiceError) {
        let fields = RequestFields(body)
        guard body.object != nil else {
            throw ServiceError.invalidBody("The request body must be a JSON object.")
        }
        number = try Self.number(fields["number", required: true])
        expirationMonth = try Self.integer(
            fields["expiration_month", required: true], "expiration_month", Self.months, "must be a month from 1 to 12")
        expirationYear = try Self.integer(fields["expiration_year", required: true], "expiration_year", Self.years, "must be a four-digit year")
        cvv = try Self.cvv(fields["cvv"])
        switch fields["name"] ?? .null {
        case .null: name = nil
        case .string(let value): name = value
        default: throw ServiceError.invalidField("name", "must be a string")
        }
        address = try Self.address(fields)
    }

    static func address(_ fields: RequestFields) throws(ServiceError) -> Address {
        guard let value = fields["address"], !value.isNull else { return Address(lines: [:]) }
        guard value.object != nil else { throw ServiceError.invalidField("address", "must be an object") }
        let address = fields.nested("address")
        var lines: [String: String] = [:]
        for field in Address.fields {
            switch address[field] ?? .null {
            case .null: break
            case .string(let text): lines[field] = text
            case let number where number.exactInteger != nil: lines[field] = String(number.exactInteger!)
            default: throw ServiceError.invalidField("address.\(field)", "must be a string")
            }
        }
        // ISO 3166 codes, two letters or three, as Balanced accepted both.
        if let country = lines["country_code"], !country.wholeMatches(countryPattern) {
            throw ServiceError.invalidField("address.country_code", "must be an ISO 3166 code: two or three capital letters")
        }
        return Address(lines: lines)
    }

    static func number(_ value: JSON?) throws(ServiceError) -> String {
        let raw: String
        switch value ?? .null {
        case .null: throw ServiceError.invalidField("number", "is required")
        case .string(let text): raw = text
        case let number where number.exactInteger.map(numbers.contains) == true: raw = String(number.exactInteger!)
        default: throw ServiceError.invalidField("number", "must be a string of digits")
        }
        guard raw.wholeMatches(numberPattern) else {
            throw ServiceError.invalidField("number", "must be 13 to 19 digits")
        }
        let digits = raw.filter { $0 != " " && $0 != "-" }
        guard Luhn.isValid(digits) else {
            throw ServiceError(
                .conflict, "card-not-validated", "number: is not a valid card number (Luhn check failed).",
                categoryType: "banking", extras: ["number": "is not a valid card number"])
        }
        return digits
    }

    static func integer(_ value: JSON?, _ field: String, _ range: ClosedRange<Int>, _ problem: String) throws(ServiceError) -> Int {
        guard let value, !value.isNull else { throw ServiceError.invalidField(field, "is required") }
        guard let number = value.wholeNumber, range.contains(number) else { throw ServiceError.invalidField(field, problem) }
        return number
    }

    static func cvv(_ value: JSON?) throws(ServiceError) -> String? {
        let text: String
        switch value ?? .null {
        case .null: return nil
        case .string(let string): text = string
        case let number where number.exactInteger != nil: text = String(number.exactInteger!)
        default: throw ServiceError.invalidField("cvv", "must be 3 or 4 digits")
        }
        guard text.wholeMatches(cvvPattern) else {
            throw ServiceError.invalidField("cvv", "must be 3 or 4 digits")
        }
        return text
    }
}
