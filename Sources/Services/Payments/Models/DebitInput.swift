import ServiceKit

/// What a client may say about a debit, validated field by field.
public struct DebitInput: Sendable, Equatable {
    public var amount: Int
    public var currency: String
    public var description: String?
    public var appearsOnStatementAs: String
    public var meta: [String: String]

    public static let defaultStatementName = "BAL*HARNESS"

    public init(_ body: JSON) throws(ServiceError) {
        guard let fields = body.object else {
            throw ServiceError.invalidBody("The request body must be a JSON object.")
        }
        switch fields["amount"] ?? .null {
        case .null:
            throw ServiceError.invalidField("amount", "is required")
        case .number(let value) where value >= 1 && value <= Double(Int32.max) && value.rounded() == value:
            amount = Int(value)
        case .string(let text) where Int(text).map({ $0 >= 1 && $0 <= Int(Int32.max) }) == true:
            amount = Int(text)!
        default:
            throw ServiceError.invalidField("amount", "must be a positive integer number of cents, at most \(Int32.max)")
        }
        switch fields["currency"] ?? "USD" {
        case .string(let code) where code.uppercased() == "USD": currency = "USD"
        default: throw ServiceError.invalidField("currency", "must be USD")
        }
        switch fields["description"] ?? .null {
        case .null: description = nil
        case .string(let text): description = text
        default: throw ServiceError.invalidField("description", "must be a string")
        }
        switch fields["appears_on_statement_as"] ?? .null {
        case .null:
            appearsOnStatementAs = Self.defaultStatementName
        case .string(let text) where Self.isStatementName(text):
            appearsOnStatementAs = text.hasPrefix("BAL*") ? text : "BAL*" + text
        default:
            throw ServiceError.invalidField("appears_on_statement_as", "must be 1 to 18 letters, digits, spaces, dots or dashes")
        }
        switch fields["meta"] ?? [:] {
        case .object(let object):
            var meta: [String: String] = [:]
            for (key, value) in object {
                guard let text = value.string else { throw ServiceError.invalidField("meta.\(key)", "must be a string") }
                meta[key] = text
            }
            self.meta = meta
        default:
            throw ServiceError.invalidField("meta", "must be an object of strings")
        }
    }

    static func isStatementName(_ text: String) -> Bool {
        let name = text.hasPrefix("BAL*") ? text.dropFirst(4) : text[...]
        return (1...18).contains(name.count)
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || " .-".contains($0)) }
    }
}
