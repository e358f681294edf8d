import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// Requires a status, failing at the caller's line with the service's own error description.
@discardableResult
func expectStatus(
    _ response: ServiceResponse, _ status: Int,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> JSON {
    let json = response.json ?? .null
    var detail = json["errors"][0]["description"].string ?? response.bodyText
    if json["errors"][0]["category_code"].string == ContractViolation.categoryCode, let drift = Drift(json: json["errors"][0]["extras"]["drift"]) {
        // Told in full once, in the run's drift summary; here only which drift broke this test.
        detail =
            "contract drift, \(drift.kind.code): \(drift.consumer) → \(drift.provider) \(drift.route) (see the drift summary at the end of the run)"
    }
    try #require(
        response.status.code == status, "expected \(status), got \(response.status.code): \(detail)",
        sourceLocation: sourceLocation)
    #expect(
        response.head.headerFields[.contentType]?.contains("application/json") == true,
        "every response is JSON", sourceLocation: sourceLocation)
    return json
}

/// Requires a JSON error with this status and category, and returns its description.
@discardableResult
func expectError(
    _ response: ServiceResponse, _ status: Int, _ categoryCode: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> String {
    let error = try expectStatus(response, status, sourceLocation: sourceLocation)["errors"][0]
    #expect(error["category_code"].string == categoryCode, "error body: \(error)", sourceLocation: sourceLocation)
    #expect(error["status_code"].int == status, sourceLocation: sourceLocation)
    #expect(error["request_id"].string?.hasPrefix("OHM") == true, sourceLocation: sourceLocation)
    return error["description"].string ?? ""
}

/// Runs `body` on a stack whose drift is the point of the test, and returns the drift `withStack` failed
/// with; it is not reported to the run's drift summary, which tells only drift nobody meant.
func expectDrift(
    _ mode: StackMode, contracts: StackContracts? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (Stack) async throws -> Void
) async -> [Drift] {
    var configuration = HarnessConfiguration.suite
    configuration.drifts = nil
    if let contracts { configuration.contracts = contracts }
    let error = await #expect(throws: ContractDrift.self, sourceLocation: sourceLocation) {
        try await withStack(.payments, mode, configuration: configuration, body)
    }
    return error?.drift ?? []
}
