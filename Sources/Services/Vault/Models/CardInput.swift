import ServiceKit

/// A card as a client submits it, validated field by field.
///
/// Past expiry years are accepted (Balanced's test mode uses 12/2016); numbers may carry spaces or
/// dashes and numeric fields may come as strings, as Balanced's own clients sent them.
struct CardInput: Sendable, Equatable {
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
        expirationMonth = try Self.integer(fields["expiration_month", required: true], "expiration_month", 1...12, "must be a month from 1 to 12")
        expirationYear = try Self.integer(fields["expiration_year", required: true], "expiration_year", 1000...9999, "must be a four-digit year")
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
            case .number(let number) where Int(exactly: number) != nil: lines[field] = String(Int(number))
            default: throw ServiceError.invalidField("address.\(field)", "must be a string")
            }
        }
        // ISO 3166 codes, two letters or three, as Balanced accepted both.
        if let country = lines["country_code"], !(2...3).contains(country.count) || !country.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            throw ServiceError.invalidField("address.country_code", "must be an ISO 3166 code: two or three capital letters")
        }
        return Address(lines: lines)
    }

    static func number(_ value: JSON?) throws(ServiceError) -> String {
        let raw: String
        switch value ?? .null {
        case .null: throw ServiceError.invalidField("number", "is required")
        case .string(let text): raw = text
        case .number(let number) where number >= 0 && number.rounded() == number: raw = String(format: "%.0f", number)
        default: throw ServiceError.invalidField("number", "must be a string of digits")
        }
        let digits = raw.filter { $0 != " " && $0 != "-" }
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), (12...19).contains(digits.count) else {
            throw ServiceError.invalidField("number", "must be 12 to 19 digits")
        }
        guard Luhn.isValid(digits) else {
            throw ServiceError(.conflict, "card-not-validated", "number: is not a valid card number (Luhn check failed).",
                               categoryType: "banking", extras: ["number": "is not a valid card number"])
        }
        return digits
    }

    static func integer(_ value: JSON?, _ field: String, _ range: ClosedRange<Int>, _ problem: String) throws(ServiceError) -> Int {
        let number: Int?
        switch value ?? .null {
        case .null: throw ServiceError.invalidField(field, "is required")
        case .number(let double): number = Int(exactly: double)
        case .string(let text): number = Int(text.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number, range.contains(number) else { throw ServiceError.invalidField(field, problem) }
        return number
    }

    static func cvv(_ value: JSON?) throws(ServiceError) -> String? {
        let text: String
        switch value ?? .null {
        case .null: return nil
        case .string(let string): text = string
        case .number(let number) where Int(exactly: number) != nil: text = String(Int(number))
        default: throw ServiceError.invalidField("cvv", "must be 3 or 4 digits")
        }
        guard (3...4).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ServiceError.invalidField("cvv", "must be 3 or 4 digits")
        }
        return text
    }
}
