import HTTPTypes
import NIOCore

/// One HTTP exchange with a service, as bytes.
///
/// The only seam between services. In memory it dispatches into the callee's responder, over HTTP it
/// goes through a socket; either way the body travels encoded, so a consumer sees exactly the bytes a
/// provider wrote — the only way contract drift can show up in memory the way it shows up in production.
public protocol Transport: Sendable {
    func send(_ request: ServiceRequest) async throws -> ServiceResponse
}

/// A request on its way to a service, with who sent it. Its `Content-Length` follows its body.
public struct ServiceRequest: Sendable {
    /// The sending service; `nil` for a caller outside the stack (a test, a merchant).
    public var caller: ServiceName?
    public var callee: ServiceName
    public var head: HTTPRequest
    /// How long the caller waits for the answer; nil for the transport's own limit.
    public var timeout: Duration?
    /// The operation the caller's client names the call by (a generated client's `operationID`), for reports.
    public var operationID: String?
    public var body: ByteBuffer {
        didSet { head.headerFields.describeBody(body) }
    }

    /// - Parameter body: nil for a request without one (no `Content-Length` is sent).
    public init(caller: ServiceName?, callee: ServiceName, head: HTTPRequest, body: ByteBuffer? = nil) {
        self.caller = caller
        self.callee = callee
        self.head = head
        self.body = body ?? ByteBuffer()
        if let body { self.head.headerFields.describeBody(body) }
    }

    /// The path without its query: `/checks`.
    public var path: String {
        let path = head.path ?? "/"
        return path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
    }

    /// `POST /checks`: the method and the path without its query.
    public var route: String { "\(head.method) \(path)" }
}

/// A service's answer. Its `Content-Length` always follows its body, as a server would send it.
public struct ServiceResponse: Sendable {
    public var head: HTTPResponse
    public var body: ByteBuffer {
        didSet {
            head.headerFields.describeBody(body)
            parsedBody = nil
        }
    }
    /// The body as a check on its way already parsed it (the document check parses each JSON answer
    /// once, and the consumer decodes the same value instead of parsing the bytes again); gone as soon
    /// as the body changes, so a fault or a mock that rewrites it is read as rewritten.
    public var parsedBody: (any Sendable)?

    public init(head: HTTPResponse, body: ByteBuffer = ByteBuffer()) {
        self.head = head
        self.body = body
        self.head.headerFields.describeBody(body)
    }

    public var status: HTTPResponse.Status { head.status }
    public var bodyText: String { String(buffer: body) }
}

extension HTTPFields {
    /// The one place a message's `Content-Length` is set (a message's `body` sets it; hosts call it for
    /// bodies they build themselves).
    public mutating func describeBody(_ body: ByteBuffer) {
        self[.contentLength] = String(body.readableBytes)
    }
}
