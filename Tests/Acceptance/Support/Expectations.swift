import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Requires a status, failing at the caller's line with the service's own error description.
@discardableResult
func expectStatus(_ response: ServiceResponse, _ status: Int,
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
    let json = response.json ?? .null
    let detail = json["errors"][0]["description"].string ?? response.bodyText
    try #require(response.status.code == status, "expected \(status), got \(response.status.code): \(detail)",
                 sourceLocation: sourceLocation)
    #expect(response.head.headerFields[.contentType]?.contains("application/json") == true,
            "every response is JSON", sourceLocation: sourceLocation)
    return json
}

/// Requires a JSON error with this status and category, and returns its description.
@discardableResult
func expectError(_ response: ServiceResponse, _ status: Int, _ categoryCode: String,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let error = try expectStatus(response, status, sourceLocation: sourceLocation)["errors"][0]
    #expect(error["category_code"].string == categoryCode, "error body: \(error)", sourceLocation: sourceLocation)
    #expect(error["status_code"].int == status, sourceLocation: sourceLocation)
    #expect(error["request_id"].string?.hasPrefix("OHM") == true, sourceLocation: sourceLocation)
    return error["description"].string ?? ""
}
