import HTTPTypes
import HarnessCore

extension ServiceResponse {
    /// A JSON answer, as stubs and mocks give one.
    public init(_ status: HTTPResponse.Status, json: JSON) {
        self.init(head: HTTPResponse(status: status, headerFields: [.contentType: "application/json"]), body: json.encoded())
    }

    /// The body parsed as JSON, or `nil` when it is empty or not JSON: the value a check on the way
    /// already parsed, if one did.
    public var json: JSON? { (parsedBody as? JSON) ?? (try? JSON(parsing: body)) }
}
