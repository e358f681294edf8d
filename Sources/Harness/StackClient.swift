import Foundation
import HTTPTypes
import HarnessContracts
import HarnessCore
import NIOCore

/// A client of one service of a stack, calling from outside it as a merchant or a test would.
public struct StackClient: Sendable {
    public let service: ServiceName
    /// The service the calls come from: nil for outside the stack; a service's name to call as that
    /// service does, its calls signed by the stack's transport.
    public let caller: ServiceName?
    let transport: any Transport
    /// Sent with every request (credentials, for one).
    public var headers: HTTPFields = [:]
    /// Signs every request as this service would (`Stack.client(_:as:)`).
    var signer: (caller: ServiceName, identity: ServiceIdentity)?

    public init(service: ServiceName, transport: any Transport, caller: ServiceName? = nil) {
        self.service = service
        self.transport = transport
        self.caller = caller
    }

    public func get(_ path: String, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await send(.get, path, headers: headers)
    }

    public func post(_ path: String, _ body: JSON, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await send(.post, path, body: body.encoded(), headers: headers)
    }

    public func put(_ path: String, _ body: JSON, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await send(.put, path, body: body.encoded(), headers: headers)
    }

    public func patch(_ path: String, _ body: JSON, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await send(.patch, path, body: body.encoded(), headers: headers)
    }

    public func delete(_ path: String, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await send(.delete, path, headers: headers)
    }

    /// Sends a body exactly as given, well-formed or not.
    public func send(_ method: HTTPRequest.Method, _ path: String, raw: String, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await send(method, path, body: ByteBuffer(string: raw), headers: headers)
    }

    public func send(
        _ method: HTTPRequest.Method, _ path: String, body: ByteBuffer? = nil,
        headers: HTTPFields = [:]
    ) async throws -> ServiceResponse {
        var fields = self.headers
        for field in headers { fields[field.name] = field.value }
        if let signer {
            var head = HTTPRequest(method: method, scheme: nil, authority: nil, path: path, headerFields: fields)
            signer.identity.sign(&head, from: signer.caller, to: service)
            fields = head.headerFields
        }
        if body != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        let head = HTTPRequest(method: method, scheme: "http", authority: service.rawValue, path: path, headerFields: fields)
        return try await transport.send(ServiceRequest(caller: caller, callee: service, head: head, body: body))
    }
}
