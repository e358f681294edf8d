@preconcurrency import Crypto
import Foundation
import HTTPTypes

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
    var signature: Data?

    init(caller: ServiceName, callee: ServiceName, tenant: String?, expires: Int64) {
        (self.caller, self.callee, self.tenant, self.expires) = (caller, callee, tenant, expires)
    }

    /// Reads a credential's text; nil when it is not one (unknown version, missing or repeated field,
    /// a value with a separator in it).
    public init?(_ text: String) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.first == "v1" else { return nil }
        var fields: [Substring: Substring] = [:]
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "="), fields[part[..<equals]] == nil else { return nil }
            fields[part[..<equals]] = part[part.index(after: equals)...]
        }
        guard fields.count == 5, let caller = fields["caller"], !caller.isEmpty, let callee = fields["callee"], !callee.isEmpty,
              let tenant = fields["tenant"], let expires = fields["expires"].flatMap({ Int64($0) }),
              let signature = fields["signature"].flatMap(Self.base64URLDecoded) else { return nil }
        self.init(caller: ServiceName(String(caller)), callee: ServiceName(String(callee)),
                  tenant: tenant.isEmpty ? nil : String(tenant), expires: expires)
        self.signature = signature
    }

    func signed(method: HTTPRequest.Method, path: String, key: KeyBytes) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(signedText(method: method, path: path).utf8), using: key.key)
        return "v1;caller=\(caller);callee=\(callee);tenant=\(tenant ?? "");expires=\(expires);signature=\(Self.base64URL(Data(code)))"
    }

    /// Whether the signature read with the credential is `key`'s over these fields and this request
    /// (compared in constant time).
    func hasSignature(method: HTTPRequest.Method, path: String, key: KeyBytes) -> Bool {
        guard let signature else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(signedText(method: method, path: path).utf8),
                                                      using: key.key)
    }

    func signedText(method: HTTPRequest.Method, path: String) -> String {
        ["v1", caller.rawValue, callee.rawValue, tenant ?? "", String(expires), method.rawValue, path].joined(separator: "\n")
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecoded(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    public static func == (a: ServiceCredential, b: ServiceCredential) -> Bool {
        (a.caller, a.callee, a.tenant, a.expires) == (b.caller, b.callee, b.tenant, b.expires)
    }
}
