import HTTPTypes
import HarnessContracts
import HarnessCore
import Hummingbird

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
        response.headers[RequestReads.answerHeader] = RequestReads.encode(notes.reads.values)
        return response
    }
}
