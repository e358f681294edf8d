import Foundation
import GRDB
import Hummingbird
import ServiceKit

/// Who is calling: HTTP Basic with the API key's secret as the user name and an empty password.
struct Auth: Sendable {
    let database: ServiceDatabase

    /// The caller's marketplace, or a 401.
    func tenant(_ request: Request) async throws -> String {
        guard let tenant = try await optionalTenant(request) else {
            throw ServiceError.authenticationRequired()
        }
        return tenant
    }

    /// The caller's marketplace, nil without credentials, or a 401 for credentials that match no key.
    func optionalTenant(_ request: Request) async throws -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        guard header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6).trimmingBlanks)),
            let credentials = String(data: decoded, encoding: .utf8)
        else {
            throw ServiceError.authenticationRequired("The Authorization header is not HTTP Basic.")
        }
        let secret = String(credentials.prefix { $0 != ":" })
        guard let key = try await database.read({ try APIKey.matching(secret: secret, in: $0) }) else {
            throw ServiceError.authenticationRequired("No API key has this secret.")
        }
        return key.tenantId
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs, as HTTP allows around a header's parts.
    var trimmingBlanks: Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return self[first...last]
    }
}
