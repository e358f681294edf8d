@preconcurrency import Crypto
import Foundation
import ServiceKit

/// What payments keeps of a request to recognise its retry: an HMAC of each field, under a key kept
/// outside the database.
///
/// Keyed, because a security code has a thousand values: an unkeyed digest of one is reversed by
/// trying them all. Per field, so a reused key's 409 can name the fields that differ without showing
/// a value. Values are compared as Balanced reads them: `"500"` is `500`, and a card number's spaces
/// and dashes do not count.
struct RequestFingerprint: Sendable {
    private let key: SendableKey

    init(key: SymmetricKey) {
        self.key = SendableKey(key: key)
    }

    /// Field path (`source.number`, `meta.tag`, `items[0]`) to base64 HMAC-SHA256 of its value.
    func fields(_ body: [String: JSON]) -> [String: String] {
        var fingerprints: [String: String] = [:]
        for (path, value) in Self.leaves(of: .object(body)) {
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(path)=\(Self.canonical(value))".utf8), using: key.key)
            fingerprints[path] = Data(mac).base64EncodedString()
        }
        return fingerprints
    }

    /// The field paths of a body, for a human: names only, never values.
    static func summary(_ body: [String: JSON]) -> String {
        leaves(of: .object(body)).map(\.path).sorted().joined(separator: ", ")
    }

    static func leaves(of value: JSON, at path: String = "") -> [(path: String, value: JSON)] {
        switch value {
        case .object(let object) where !object.isEmpty:
            object.flatMap { leaves(of: $0.value, at: path.isEmpty ? $0.key : "\(path).\($0.key)") }
        case .array(let items) where !items.isEmpty:
            items.enumerated().flatMap { leaves(of: $0.element, at: "\(path)[\($0.offset)]") }
        default:
            [(path, value)]
        }
    }

    /// A leaf as Balanced reads it: digit strings (spaces and dashes aside) and whole numbers alike.
    static func canonical(_ value: JSON) -> String {
        switch value {
        case .number(let number) where number.rounded() == number && abs(number) < 1e18: String(Int64(number))
        case .string(let text):
            text.contains(where: \.isNumber) && text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == " " || $0 == "-") })
                ? String(text.filter(\.isNumber)) : String(buffer: value.encoded())
        default: String(buffer: value.encoded())
        }
    }
}

/// swift-crypto's key is not `Sendable`, but it is an immutable value.
private struct SendableKey: @unchecked Sendable {
    let key: SymmetricKey
}
