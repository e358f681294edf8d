import Foundation
import HTTPTypes
import Hummingbird

/// An error a client can act on, rendered as Balanced's error envelope.
///
/// Every failure a service reports goes out as
/// `{"errors":[{"status","category_code","category_type","description","status_code","request_id","extras"}]}`,
/// so consumers (and the harness) read failures the same way from every service.
///
/// ```swift
/// throw ServiceError(.conflict, "no-funding-source", "The account has no valid funding sources.")
/// ```
public struct ServiceError: Error, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var categoryCode: String
    public var categoryType: String
    public var detail: String
    public var extras: [String: JSON]

    public init(_ status: HTTPResponse.Status, _ categoryCode: String, _ detail: String,
                categoryType: String = "request", extras: [String: JSON] = [:]) {
        self.status = status
        self.categoryCode = categoryCode
        self.categoryType = categoryType
        self.detail = detail
        self.extras = extras
    }

    public static func notFound(_ what: String) -> ServiceError {
        ServiceError(.notFound, "not-found", "\(what) not found.")
    }

    /// No credentials, or credentials that match no key.
    public static func authenticationRequired(_ detail: String = "Authenticate with HTTP Basic: your API key secret as the user name, an empty password.") -> ServiceError {
        ServiceError(.unauthorized, "authentication-required", detail)
    }

    /// A missing or malformed field of a request body; `extras` maps the field to its problem.
    ///
    /// Amounts get Balanced's `invalid-amount`, every other field its generic `request`.
    public static func invalidField(_ field: String, _ problem: String) -> ServiceError {
        ServiceError(.badRequest, field == "amount" ? "invalid-amount" : "request", "\(field): \(problem)",
                     extras: [field: .string(problem)])
    }

    /// A body that is not a JSON object (or form) at all.
    public static func invalidBody(_ problem: String) -> ServiceError {
        ServiceError(.badRequest, "request", problem)
    }

    public var description: String { "\(status.code) \(categoryCode): \(detail)" }

    public func body(requestID: String) -> JSON {
        ["errors": [[
            "status": .string(status.reasonPhrase),
            "status_code": .number(Double(status.code)),
            "category_code": .string(categoryCode),
            "category_type": .string(categoryType),
            "description": .string("\(detail)\(detail.hasSuffix(".") ? "" : ".") Your request id is \(requestID)."),
            "request_id": .string(requestID),
            "extras": .object(extras),
        ]]]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = (context as? ServiceContext)?.requestID ?? RequestIDs.make()
        return Response.json(body(requestID: requestID), status: status)
    }
}

/// Request ids in Balanced's shape: `OHM` and 24 alphanumerics.
public enum RequestIDs {
    public static func make() -> String { "OHM" + IDs.random(24) }
}
