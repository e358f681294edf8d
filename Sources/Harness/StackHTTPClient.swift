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

    /// A client of `environment`'s service.
    public init(_ environment: StackEnvironment) {
        self.init(as: environment.name, transport: environment.transport)
    }

    public init(as caller: ServiceName?, transport: any Transport) {
        self.caller = caller
        self.transport = transport
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
        let response = try await transport.send(sent)
        var headers = HTTPHeaders()
        for field in response.head.headerFields { headers.add(name: field.name.rawName, value: field.value) }
        return HTTPClientResponse(
            version: .http1_1, status: HTTPResponseStatus(statusCode: response.status.code), headers: headers, body: .bytes(response.body))
    }
}
