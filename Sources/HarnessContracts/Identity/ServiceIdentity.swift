@preconcurrency import Crypto
import Foundation
import HTTPTypes
import HarnessCore

/// The key the services of one deployment sign their calls to each other with, and the keys they accept.
///
/// A call between services carries a credential naming the caller, the callee, the tenant it acts for
/// and an expiry, bound to the request's method and path, signed with HMAC-SHA256 (`ServiceCredential`).
/// HMAC rather than a JWT: every signer and verifier is a service of the same deployment holding the
/// same key, so a public-key signature buys nothing; binding the method and path is one more line of
/// the signed text rather than custom claims; and it costs about a microsecond a hop, with the crypto
/// library the services already use. During a rotation the previous key is still accepted.
public struct ServiceIdentity: Sendable {
    /// How long a credential is good for once made.
    public static let lifetime: TimeInterval = 60

    let signing: KeyBytes
    let accepted: [KeyBytes]
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - key: signs every call and is accepted.
    ///   - previous: also accepted, while the services of a deployment move to `key`.
    ///   - now: the clock expiries are read on (a stack's clock in memory).
    public init(key: SymmetricKey, previous: SymmetricKey? = nil, now: @escaping @Sendable () -> Date = Date.init) {
        signing = KeyBytes(key)
        accepted = [signing] + (previous.map { [KeyBytes($0)] } ?? [])
        self.now = now
    }

    /// A fresh identity with a random key: one per in-memory stack.
    public static func random(now: @escaping @Sendable () -> Date = Date.init) -> ServiceIdentity {
        ServiceIdentity(key: SymmetricKey(size: .bits256), now: now)
    }

    /// The credential `caller` presents to `callee` for this request, acting for the tenant in its `X-Tenant`.
    public func credential(from caller: ServiceName, to callee: ServiceName, for head: HTTPRequest) -> String {
        ServiceCredential(
            caller: caller, callee: callee, tenant: head.headerFields[.tenant],
            expires: Int64(now().timeIntervalSince1970 + Self.lifetime)
        )
        .signed(method: head.method, path: head.path ?? "/", key: signing)
    }

    /// Adds `caller`'s credential to a request for `callee`.
    public func sign(_ head: inout HTTPRequest, from caller: ServiceName, to callee: ServiceName) {
        head.headerFields[.serviceCredential] = credential(from: caller, to: callee, for: head)
    }

    /// The verified credential of a request that reached `callee`, or why it is refused.
    public func verify(_ head: HTTPRequest, at callee: ServiceName) throws(CredentialRefusal) -> ServiceCredential {
        guard let text = head.headerFields[.serviceCredential] else {
            throw .unauthorized(
                "service-credential-required", "A call to \(callee) needs a service credential (\(HTTPField.Name.serviceCredential)).")
        }
        guard let credential = ServiceCredential(text),
            accepted.contains(where: { credential.hasSignature(method: head.method, path: head.path ?? "/", key: $0) })
        else {
            throw .unauthorized("service-credential-invalid", "The service credential is malformed or its signature does not match this request.")
        }
        guard Double(credential.expires) > now().timeIntervalSince1970 else {
            throw .unauthorized("service-credential-expired", "The service credential of \(credential.caller) expired.")
        }
        guard credential.callee == callee else {
            throw .forbidden(
                "service-credential-wrong-callee",
                "The service credential of \(credential.caller) is for \(credential.callee), not \(callee).")
        }
        if let claimed = head.headerFields[.tenant], claimed != credential.tenant {
            throw .forbidden("tenant-mismatch", "X-Tenant \(claimed) is not the tenant the service credential of \(credential.caller) acts for.")
        }
        return credential
    }
}

extension HTTPField.Name {
    /// The tenant a call between services acts for: the public service authenticates the caller and
    /// passes its tenant on; internal services partition their data by it.
    public static let tenant = HTTPField.Name("X-Tenant")!

    /// Who makes a call between services, to whom and for whom: `ServiceCredential`'s text.
    public static let serviceCredential = HTTPField.Name("X-Service-Credential")!
}

/// An HMAC-SHA256 keyed once: each signature copies it, so the key is not processed again per call.
/// (swift-crypto's types are not marked `Sendable`; this one is never mutated once made.)
struct KeyBytes: @unchecked Sendable {
    private let keyed: HMAC<SHA256>

    init(_ key: SymmetricKey) { keyed = HMAC<SHA256>(key: key) }

    func code(_ text: String) -> [UInt8] {
        var mac = keyed
        var text = text
        text.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return Array(mac.finalize())
    }
}

/// Why a call's credential is refused: the status, code and sentence a service answers with.
public struct CredentialRefusal: Error, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let description: String

    static func unauthorized(_ code: String, _ description: String) -> CredentialRefusal {
        CredentialRefusal(status: .unauthorized, code: code, description: description)
    }

    static func forbidden(_ code: String, _ description: String) -> CredentialRefusal {
        CredentialRefusal(status: .forbidden, code: code, description: description)
    }
}
