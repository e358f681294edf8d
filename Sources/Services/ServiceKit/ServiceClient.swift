import Foundation
import HTTPTypes
import Hummingbird

/// How one service calls the others: by name, through the transport, as itself.
///
/// Every call continues the current trace (`traceparent`), and every answer is decoded as the caller's
/// own view of the provider's response, so drift fails loudly with a `ContractViolation`.
///
/// ```swift
/// let check: FraudCheck = try await peers.call(.fraud, .post, "/checks", body: request)
/// ```
public struct ServiceClient: Sendable {
    public let caller: ServiceName?
    public let transport: any Transport

    public init(caller: ServiceName?, transport: any Transport) {
        self.caller = caller
        self.transport = transport
    }

    /// Sends one request and returns the raw answer, whatever its status.
    public func send(_ service: ServiceName, _ method: HTTPRequest.Method, _ path: String,
                     body: ByteBuffer? = nil, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        var fields = headers
        fields[TraceContext.header] = TraceContext.child(of: TraceContext.current).traceparent
        if let body {
            if fields[.contentType] == nil { fields[.contentType] = "application/json" }
            fields[.contentLength] = String(body.readableBytes)
        }
        let head = HTTPRequest(method: method, scheme: "http", authority: service.rawValue, path: path, headerFields: fields)
        return try await transport.send(ServiceRequest(caller: caller, callee: service, head: head, body: body ?? ByteBuffer()))
    }

    /// Calls a peer and decodes its answer as `T`.
    ///
    /// A 4xx from the peer is the caller's client's fault and is passed on as it came; anything else
    /// that is not a 2xx becomes a 502 naming the peer.
    /// - Parameter route: the route as the provider declares it (`GET /cards/{id}`), for diagnoses.
    public func call<T: Decodable>(_ service: ServiceName, _ method: HTTPRequest.Method, _ path: String,
                                   body: JSON? = nil, headers: HTTPFields = [:], route: String? = nil,
                                   as type: T.Type = T.self) async throws -> T {
        let response = try await send(service, method, path, body: body?.encoded(), headers: headers)
        let route = route ?? "\(method) \(path)"
        switch response.status.kind {
        case .successful:
            guard let caller else {
                return try JSONCoding.decoder.decode(T.self, from: Data(response.body.readableBytesView))
            }
            return try ContractViolation.decode(T.self, from: response.body, consumer: caller, provider: service, route: route)
        case .clientError:
            throw ForwardedError(response: response)
        default:
            throw ServiceError(.badGateway, "upstream-failure",
                               "\(service) \(route) answered \(response.status.code): \(response.bodyText.prefix(300))",
                               categoryType: "logical")
        }
    }
}

/// A peer's 4xx, passed to the caller's own client unchanged.
public struct ForwardedError: Error, HTTPResponseError {
    public let response: ServiceResponse

    public var status: HTTPResponse.Status { response.status }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(response.body.readableBytes)
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: response.body))
    }
}
