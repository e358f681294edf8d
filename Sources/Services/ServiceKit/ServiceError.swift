import Foundation
import HTTPTypes
import HarnessContracts

/// An error a client can act on, rendered as Balanced's error envelope.
///
/// Every failure a service reports goes out as
/// `{"errors":[{"status","category_code","category_type","description","status_code","request_id","extras"}]}`,
/// so consumers (and the harness) read failures the same way from every service. Errors become
/// responses in one place, `Reply(error:requestID:service:)`, with the request's own id.
///
/// ```swift
/// throw ServiceError(.conflict, "no-funding-source", "The account has no valid funding sources.")
/// ```
public struct ServiceError: Error, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var categoryCode: String
    public var categoryType: String
    public var detail: String
    public var extras: [String: JSON]
    /// Resources the body carries beside `errors`: a declined debit is still a debit the client may read.
    public var attachments: [String: JSON]

    public init(
        _ status: HTTPResponse.Status, _ categoryCode: String, _ detail: String,
        categoryType: String = "request", extras: [String: JSON] = [:], attachments: [String: JSON] = [:]
    ) {
        self.status = status
        self.categoryCode = categoryCode
        self.categoryType = categoryType
        self.detail = detail
        self.extras = extras
        self.attachments = attachments
    }

    public static func notFound(_ what: String) -> ServiceError {
        ServiceError(.notFound, "not-found", "\(what) not found.")
    }

    /// No credentials, or credentials that match no key.
    public static func authenticationRequired(
        _ detail: String = "Authenticate with HTTP Basic: your API key secret as the user name, an empty password."
    ) -> ServiceError {
        ServiceError(.unauthorized, "authentication-required", detail)
    }

    /// A missing or malformed field of a request; `extras` maps the field to its problem.
    public static func invalidField(_ field: String, _ problem: String, categoryCode: String = "request") -> ServiceError {
        ServiceError(.badRequest, categoryCode, "\(field): \(problem)", extras: [field: .string(problem)])
    }

    /// A body that is not a JSON object (or form) at all.
    public static func invalidBody(_ problem: String) -> ServiceError {
        ServiceError(.badRequest, "request", problem)
    }

    public var description: String { "\(status.code) \(categoryCode): \(detail)" }

    func body(requestID: String) -> JSON {
        var body = attachments
        body["errors"] = [
            [
                "status": .string(status.reasonPhrase),
                "status_code": .number(Double(status.code)),
                "category_code": .string(categoryCode),
                "category_type": .string(categoryType),
                "description": .string("\(detail)\(detail.hasSuffix(".") ? "" : ".") Your request id is \(requestID)."),
                "request_id": .string(requestID),
                "extras": .object(extras),
            ]
        ]
        return .object(body)
    }
}

/// Request ids in Balanced's shape: `OHM` and 24 alphanumerics.
public enum RequestIDs {
    public static func make() -> String { IDs.make("OHM") }
}
