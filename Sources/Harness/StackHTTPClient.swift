import AsyncHTTPClient
import Foundation
import HTTPTypes
import HarnessContracts
import HarnessCore
import Logging
import NIOCore
import NIOHTTP1

/// AsyncHTTPClient's calls, sent through a stack: for a service that calls a peer with `HTTPClient`.
///
/// `HTTPClient` is a final class with no seam to swap its transport, so a service that wants its calls
/// routed in memory declares the one method it uses as a protocol of its own, which `HTTPClient` already
/// conforms to, and takes that; the system wiring hands it this instead. The URL's host names the peer
/// (`http://shipping/shipments` calls `shipping`), and the call is a hop like every other:
///
/// ```swift
/// // In the service:
/// public protocol HTTPExecutor: Sendable {
///     func execute(_ request: HTTPClientRequest, timeout: TimeAmount, logger: Logger?) async throws -> HTTPClientResponse
/// }
/// extension HTTPClient: HTTPExecutor {}
/// // In the system wiring:
/// extension StackHTTPClient: @retroactive HTTPExecutor {}
/// ```
///
/// The other way needs no code at all: point each peer's base URL at the stack's loopback gateway
/// (`http://127.0.0.1:PORT/shipping`); then only loopback and served stacks carry its calls.
public struct StackHTTPClient: Sendable {
    public let caller: ServiceName?
    let transport: any Transport
    let readObserver: (any ReadObserver)?
    /// The hand-written `Decodable` views the service reads answers of its peers' routes into.
    var views: [(provider: ServiceName, route: Route, name: String, read: @Sendable (ByteBuffer, ServiceName, String, FieldNotes) throws -> Void)] =
        []

    /// A client of `environment`'s service.
    public init(_ environment: StackEnvironment) {
        self.init(as: environment.name, transport: environment.transport, readObserver: environment.readObserver)
    }

    public init(as caller: ServiceName?, transport: any Transport, readObserver: (any ReadObserver)? = nil) {
        self.caller = caller
        self.transport = transport
        self.readObserver = readObserver
    }

    /// The same client, knowing that the service decodes successful answers of `provider`'s `method
    /// template` into `view`: each such answer is decoded into it as the service does, the fields it asks
    /// for noted (required or optional, the types that came) as the service's contract with the provider,
    /// and an answer it cannot decode is drift, named like any consumer's, and fails the call.
    public func reading<View: Decodable>(
        _ view: View.Type, from provider: ServiceName, _ method: HTTPRequest.Method, _ template: String
    ) -> StackHTTPClient {
        var copy = self
        copy.views.append(
            (
                provider, Route(method, template), String(describing: View.self),
                { body, consumer, route, notes in
                    _ = try ContractViolation.decode(View.self, from: body, consumer: consumer, provider: provider, route: route, notes: notes)
                }
            ))
        return copy
    }

    /// What `HTTPClient.execute(_:timeout:logger:)` does, through the stack (the stack's logger is the service's).
    public func execute(_ request: HTTPClientRequest, timeout: TimeAmount, logger: Logger? = nil) async throws -> HTTPClientResponse {
        guard let url = URL(string: request.url), let host = url.host, !host.isEmpty else {
            throw HarnessError("\(request.url) names no service: its host is the peer's name (http://shipping/shipments)")
        }
        guard let method = HTTPRequest.Method(request.method.rawValue) else { throw HarnessError("\(request.method) is not an HTTP method") }
        var fields = HTTPFields()
        for (name, value) in request.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        var body: ByteBuffer?
        if let parts = request.body {
            var collected = ByteBuffer()
            for try await part in parts { collected.writeImmutableBuffer(part) }
            body = collected
        }
        let path = (url.path.isEmpty ? "/" : url.path) + (url.query.map { "?" + $0 } ?? "")
        let head = HTTPRequest(method: method, scheme: "http", authority: host, path: path, headerFields: fields)
        var sent = ServiceRequest(caller: caller, callee: ServiceName(host), head: head, body: body)
        sent.timeout = .nanoseconds(timeout.nanoseconds)
        var asking = sent
        if readObserver != nil { asking.head.headerFields[RequestReads.askHeader] = "1" }
        let response = try await transport.send(asking)
        try read(response, of: sent)
        var headers = HTTPHeaders()
        for field in response.head.headerFields { headers.add(name: field.name.rawName, value: field.value) }
        return HTTPClientResponse(
            version: .http1_1, status: HTTPResponseStatus(statusCode: response.status.code), headers: headers, body: .bytes(response.body))
    }
}

extension StackHTTPClient {
    /// Decodes a successful answer into the view declared for its route, if any, and reports the reads.
    func read(_ response: ServiceResponse, of request: ServiceRequest) throws {
        guard response.status.kind == .successful,
            let view = views.first(where: { $0.provider == request.callee && $0.route.matches(request.head.method, request.path) })
        else { return }
        let consumer = caller ?? "client"
        let notes = FieldNotes()
        do {
            try view.read(response.body, consumer, view.route.description, notes)
        } catch let violation as ContractViolation {
            readObserver?.drifted(violation.drift)
            throw violation
        }
        guard let readObserver else { return }
        let body = response.json ?? .null
        var read = ObservedRead(
            consumer: consumer, provider: request.callee, route: view.route.description, status: Int(response.status.code),
            fields: notes.reads.values.sorted(), body: body)
        read.view = view.name
        read.note(request)
        read.requestRead = RequestReads.reported(in: response.head.headerFields)
        readObserver.observed(read)
    }
}
