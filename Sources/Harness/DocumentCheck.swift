import Foundation
import HarnessContracts
import HarnessCore
import Synchronization

/// Checks every answer a service gives on every hop against the service's own OpenAPI document
/// (``StackService/document``): the status must be declared for the route, the body valid against its
/// schema. A middleware next to the transport, so it sees what the provider really answered, before
/// faults or mocks change it.
///
/// `withStack` fails the test with every mismatch, naming service, route and what differs:
/// `vault POST /cards answered 201: $.brand: 5 is not string`.
public final class DocumentCheck: TransportMiddleware {
    /// Set by `check(_:)` once the services exist: they are built with the transport that checks them.
    private let documents = Mutex<[ServiceName: APIDocument]>([:])
    private let found = Mutex<[String]>([])
    private let checked = Atomic<Int>(0)

    public init() {}

    /// Checks the answers of these services from now on, against their documents.
    public func check(_ services: [any StackService]) {
        let published = services.documentsByName
        documents.withLock { $0.merge(published) { _, new in new } }
    }

    /// Every mismatch so far, once each, in the order seen.
    public var problems: [String] { found.withLock { $0 } }

    /// How many answers it has checked against their service's document: the benchmark shows it is one per hop.
    public var validations: Int { checked.load(ordering: .relaxed) }

    public func handle(
        _ request: ServiceRequest,
        next: @Sendable (ServiceRequest) async throws -> ServiceResponse
    ) async throws -> ServiceResponse {
        var response = try await next(request)
        guard let document = documents.withLock({ $0[request.callee] }) else { return response }
        checked.add(1, ordering: .relaxed)
        var parsed = response.parsedBody as? JSON
        if let mismatch = Self.mismatch(request, response, in: document, parsed: &parsed) {
            let line = "\(request.callee) \(mismatch)"
            found.withLock { if !$0.contains(line) { $0.append(line) } }
        }
        response.parsedBody = parsed
        return response
    }

    /// What differs between `response` and what `document` declares for `request`'s route, as one line
    /// naming the route: `POST /cards answered 201: $.brand: 5 is not string`; nil when it conforms.
    static func mismatch(_ request: ServiceRequest, _ response: ServiceResponse, in document: APIDocument, parsed: inout JSON?) -> String? {
        let path = request.head.path ?? "/"
        let problems = document.problems(request.head.method, path, status: response.status.code, body: response.body, parsed: &parsed)
        guard !problems.isEmpty else { return nil }
        let route = document.route(request.head.method, path)?.description ?? request.route
        return "\(route) answered \(response.status.code): \(problems.prefix(5).joined(separator: "; "))"
    }
}
