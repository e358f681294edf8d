import ServiceKit

/// What a client may say about a debit or hold, validated field by field.
struct ChargeInput: Sendable, Equatable {
    var amount: Int
    var currency: String
    var description: String?
    var appearsOnStatementAs: String
    var meta: String

    static let defaultStatementName = "BAL*example.com"

    /// - Parameter defaultAmount: the amount when none is given (a capture takes the hold's); nil requires one.
    init(_ fields: [String: JSON], defaultAmount: Int? = nil) throws(ServiceError) {
        amount = try Fields.amount(fields, required: defaultAmount == nil) ?? defaultAmount!
        currency = try Fields.currency(fields)
        description = try Fields.string(fields, "description") ?? nil
        switch fields["appears_on_statement_as"] ?? .null {
        case .null:
            appearsOnStatementAs = Self.defaultStatementName
        case .string(let text) where Self.isStatementName(text):
            appearsOnStatementAs = text.hasPrefix("BAL*") ? text : "BAL*" + text
        default:
            throw ServiceError.invalidField("appears_on_statement_as", "must be 1 to 18 letters, digits, spaces, dots or dashes")
        }
        meta = try Fields.meta(fields) ?? "{}"
    }

    /// What a statement may show: 1 to 18 letters, digits, spaces, dots or dashes, after an optional `BAL*`.
    static let statementPattern = #"(?:BAL\*)?[A-Za-z0-9 .-]{1,18}"#

    static func isStatementName(_ text: String) -> Bool { text.wholeMatches(statementPattern) }
}
