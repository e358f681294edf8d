import HTTPTypes
import NIOCore
import ServiceKit

/// A client of one service of a stack, calling from outside it as a merchant or a test would.
public struct StackClient: Sendable {
    public let service: ServiceName
    let client: ServiceClient

    public init(service: ServiceName, client: ServiceClient) {
        self.service = service
        self.client = client
    }

    public func get(_ path: String, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await client.send(service, .get, path, headers: headers)
    }

    public func post(_ path: String, _ body: JSON, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await client.send(service, .post, path, body: body.encoded(), headers: headers)
    }

    /// Sends a body exactly as given, well-formed or not.
    public func send(_ method: HTTPRequest.Method, _ path: String, raw: String, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await client.send(service, method, path, body: ByteBuffer(string: raw), headers: headers)
    }

    public func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer? = nil,
                     headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await client.send(service, method, path, body: body, headers: headers)
    }
}
