import Foundation
import HTTPTypes
import HarnessContracts
import HarnessCore
import Hummingbird

/// A status and a JSON body: what a service answers, before it becomes bytes.
///
/// Errors become replies here and nowhere else, so every service, the in-memory transport and the
/// gateway render a failure the same way, with the id of the request that failed.
public struct Reply: Sendable {
    public var status: HTTPResponse.Status
    public var body: JSON

    public init(status: HTTPResponse.Status = .ok, body: JSON) {
        self.status = status
        self.body = body
    }

    /// The reply a client sees for `error`: a service's own error as Balanced's envelope, a peer's 4xx
    /// as the peer wrote it, anything unforeseen as a 500 that names the service.
    public init(error: any Error, requestID: String, service: ServiceName) {
        if let forwarded = error as? ForwardedError, let body = forwarded.response.json {
            self.init(status: forwarded.response.status, body: body)
            return
        }
        let rendered = ServiceError(rendering: error, service: service)
        self.init(status: rendered.status, body: rendered.body(requestID: requestID))
    }

    public var response: Response { .json(body, status: status) }
}

extension ServiceError {
    /// What any error means to a client.
    init(rendering error: any Error, service: ServiceName) {
        switch error {
        case let error as ServiceError: self = error
        case let violation as ContractViolation:
            // The consumer's client gets the diagnosis, not a guess.
            self = ServiceError(
                .badGateway, ContractViolation.categoryCode, violation.description, categoryType: "logical",
                extras: ["drift": violation.drift.json])
        case let refusal as CredentialRefusal:
            self = ServiceError(refusal.status, refusal.code, refusal.description, categoryType: "permission")
        case let forwarded as ForwardedError:
            self = ServiceError(
                .badGateway, "upstream-failure",
                "a peer of \(service) answered \(forwarded.response.status.code) with a body that is not JSON",
                categoryType: "logical")
        case let error as HTTPError:
            self = ServiceError(error.status, Self.categoryCode(error.status), error.body ?? "\(error.status.reasonPhrase).")
        case let error as DecodingError: self = ServiceError(decoding: error)
        default:
            self = ServiceError(
                .internalServerError, "internal-error", "\(service) failed to handle the request.",
                categoryType: "logical")
        }
    }

    /// `extras.reason` of a 404 or 405 for a route the service does not have.
    static let noSuchRoute = "no-such-route"

    static func categoryCode(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "not-found"
        case 405: "method-not-allowed"
        case 413: "request-too-large"
        default: "invalid-request"
        }
    }
}

extension Response {
    /// A JSON response, as every service answers; the server (or the in-memory transport) sets its
    /// `Content-Length` from the body.
    public static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: value.encoded()))
    }
}
