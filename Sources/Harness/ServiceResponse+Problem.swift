import HTTPTypes
import HarnessContracts
import HarnessCore

extension ServiceResponse {
    /// The engine's own answer for what no service answered (no such service, an injected status, a
    /// provider state that could not be made): RFC 9457 problem details, so it speaks no service's dialect.
    public static func problem(_ status: HTTPResponse.Status, _ detail: String) -> ServiceResponse {
        let body: JSON = ["title": .string(status.reasonPhrase), "status": .number(Double(status.code)), "detail": .string(detail)]
        return ServiceResponse(
            head: HTTPResponse(status: status, headerFields: [.contentType: "application/problem+json"]), body: body.encoded())
    }
}
