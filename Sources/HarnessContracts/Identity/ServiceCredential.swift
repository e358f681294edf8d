@preconcurrency import Crypto
import Foundation
import HTTPTypes
import HarnessCore

/// What a call between services says about itself: who makes it, to whom, for which tenant, until when.
///
/// On the wire it is one header, `X-Service-Credential`:
/// `v1;caller=payments;callee=vault;tenant=MP5x…;expires=1764633600;signature=…`, where the signature is
/// HMAC-SHA256 over those fields and the request's method and path, base64url. A credential copied onto
/// another request, another callee or another tenant no longer matches.
public struct ServiceCredential: Sendable, Equatable {
    public var caller: ServiceName
    public var callee: ServiceName
    /// The tenant the call acts for; nil for a call that acts for none.
    public var tenant: String?
    /// Seconds since 1970 after which the credential is refused.
    public var expires: Int64
    var signature: [UInt8]?

    init(caller: ServiceName, callee: ServiceName, tenant: String?, expires: Int64) {
        (self.caller, self.callee, self.tenant, self.expires) = (caller, callee, tenant, expires)
    }

    /// Reads a credential's text; nil when it is not one (unknown version, a missing, repeated or
    /// unknown field, a value with a separator in it).
    public init?(_ text: String) {
        var parts = text.split(separator: ";", omittingEmptySubsequences: false)[...]
        guard parts.popFirst() == "v1", parts.count == 5 else { return nil }
        var values: [Substring?] = [nil, nil, nil, nil, nil]
        for part in parts {
            guard let equals = part.firstIndex(of: "="),
                let slot = Self.fields.firstIndex(of: part[..<equals]), values[slot] == nil
            else { return nil }
            values[slot] = part[part.index(after: equals)...]
        }
        guard let caller = values[0], !caller.isEmpty, let callee = values[1], !callee.isEmpty, let tenant = values[2],
            let expires = values[3].flatMap({ Int64($0) }), let signature = values[4].flatMap(Base64URL.decode)
        else { return nil }
        self.init(
            caller: ServiceName(String(caller)), callee: ServiceName(String(callee)),
            tenant: tenant.isEmpty ? nil : String(tenant), expires: expires)
        self.signature = signature
    }

    static let fields: [Substring] = ["caller", "callee", "tenant", "expires", "signature"]

    func signed(method: HTTPRequest.Method, path: String, key: KeyBytes) -> String {
        let signature = Base64URL.encode(key.code(signedText(method: method, path: path)))
        return "v1;caller=\(caller);callee=\(callee);tenant=\(tenant ?? "");expires=\(expires);signature=\(signature)"
    }

    /// Whether the signature read with the credential is `key`'s over these fields and this request,
    /// compared in constant time.
    func hasSignature(method: HTTPRequest.Method, path: String, key: KeyBytes) -> Bool {
        guard let signature else { return false }
        let expected = key.code(signedText(method: method, path: path))
        guard signature.count == expected.count else { return false }
        return zip(signature, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    func signedText(method: HTTPRequest.Method, path: String) -> String {
        "v1\n\(caller)\n\(callee)\n\(tenant ?? "")\n\(expires)\n\(method.rawValue)\n\(path)"
    }

    public static func == (a: ServiceCredential, b: ServiceCredential) -> Bool {
        (a.caller, a.callee, a.tenant, a.expires) == (b.caller, b.callee, b.tenant, b.expires)
    }
}

/// Unpadded base64url (RFC 4648 §5), for signatures in a header.
enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { values[Int(symbol)] = UInt8(value) }
        return values
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var bits = 0
            for byte in chunk { bits = bits << 8 | Int(byte) }
            bits <<= 8 * (3 - chunk.count)
            for position in 0...chunk.count { out.append(alphabet[(bits >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var bits = 0
        var count = 0
        for symbol in text.utf8 {
            let value = values[Int(symbol)]
            guard value != 0xFF else { return nil }
            bits = bits << 6 | Int(value)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8((bits >> count) & 0xFF))
            }
        }
        return out
    }
}
