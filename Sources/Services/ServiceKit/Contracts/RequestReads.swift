import HTTPTypes
import HarnessContracts
import HarnessCore
import Hummingbird

/// The request fields a provider's handler read, reported back to a consumer that asks.
///
/// A consumer under the harness sends `Harness-Report-Reads`; the provider's handler decodes its request
/// with `Request.decode`, which notes each field read, and the answer carries them in
/// `Harness-Request-Reads`. So a consumer learns, across a socket too, that a field it sends is no
/// longer read — the request-side drift a provider's rename causes silently.
enum RequestReads {
    static let askHeader = HTTPField.Name("Harness-Report-Reads")!
    static let answerHeader = HTTPField.Name("Harness-Request-Reads")!

    /// `path:required:type|type,…` — compact enough for a header.
    static func encode(_ reads: [FieldRead]) -> String {
        reads.sorted().map { "\($0.path):\($0.required ? "r" : "o"):\($0.types.sorted().joined(separator: "|"))" }.joined(separator: ",")
    }

    static func decode(_ header: String) -> [FieldRead] {
        header.split(separator: ",").compactMap { item in
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { return nil }
            return FieldRead(
                path: parts[0], required: parts[1] == "r", types: Set(parts[2].split(separator: "|").map(String.init)),
                accepts: nil, seen: [])
        }
    }
}

/// Answers `Harness-Report-Reads` with `Harness-Request-Reads`, for a caller the stack verified only.
///
/// The report tells which request fields a handler reads: the harness's business, not a merchant's. A
/// public API (payments) must not tell anyone who sends the header how its handlers work, so only a
/// request carrying a service credential the service's identity verifies (a peer under the harness)
/// gets the report; anyone else gets the same answer as without the header. A service hosted without
/// an identity (its own unit tests) verifies no one, and reports to no one.
struct RequestReadsReport: RouterMiddleware {
    let service: ServiceName
    let identity: ServiceIdentity?

    func handle(
        _ request: Request, context: ServiceRequestContext,
        next: (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.headers[RequestReads.askHeader] != nil, let identity,
            (try? identity.verify(request.head, at: service)) != nil
        else { return try await next(request, context) }
        let notes = FieldNotes()
        var response = try await FieldNotes.$handlingRequest.withValue(notes) { try await next(request, context) }
        response.headers[RequestReads.answerHeader] = RequestReads.encode(Array(notes.reads.values))
        return response
    }
}
