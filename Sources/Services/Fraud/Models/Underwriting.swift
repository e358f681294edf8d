import Foundation
import ServiceKit

/// Whether fraud can vouch for a merchant's identity, from what the merchant told payments.
///
/// A person is matched by name, date of birth (month and year) and a five-digit postal code; a
/// business by its name and a nine-digit EIN. Anything less is `no-match`, as Balanced answered
/// before a merchant gave enough to identify them.
enum Underwriting {
    struct Decision: Equatable, Sendable {
        var merchantStatus: String
        var missing: [String]

        var json: JSON {
            ["merchant_status": .string(merchantStatus), "missing": .array(missing.map(JSON.string))]
        }
    }

    /// - Parameter identity: the request's body; the fields read are reported as `RequestFields` does.
    static func decide(_ identity: JSON) -> Decision {
        let fields = RequestFields(identity)
        func text(_ key: String) -> String? {
            switch fields[key] ?? .null {
            case .string(let value) where !value.trimmingCharacters(in: .whitespaces).isEmpty: value
            case .number(let value): Int(exactly: value).map(String.init)
            default: nil
            }
        }
        let ein = text("ein")?.filter(\.isNumber)
        if text("business_name") != nil, ein?.count == 9 {
            return Decision(merchantStatus: "underwritten", missing: [])
        }
        let postal = text("postal_code")
        let month = text("dob_month").flatMap(Int.init)
        let year = text("dob_year").flatMap(Int.init)
        var missing: [String] = []
        if text("name") == nil { missing.append("name") }
        if month.map({ (1...12).contains($0) }) != true { missing.append("dob_month") }
        if year.map({ (1900...2100).contains($0) }) != true { missing.append("dob_year") }
        if postal.map({ $0.count == 5 && $0.allSatisfy(\.isNumber) }) != true { missing.append("postal_code") }
        return Decision(merchantStatus: missing.isEmpty ? "underwritten" : "no-match", missing: missing)
    }
}
