import AsyncHTTPClient
import HTTPTypes
import Harness
import NIOCore
import Tracing
import Vapor
import W3CTraceContext

extension VaporHost {
    /// Answers one of the stack's requests: into the app's responder in memory, to its socket when served.
    func respond(to request: ServiceRequest) async throws -> ServiceResponse {
        let running = try await running()
        var headers = HTTPHeaders(request.head.headerFields)
        // Only the host names a hop to the decoder: a token sent from outside is not taken.
        headers.remove(name: Readings.header)
        // The request fields its handlers decode, for a peer of the stack that asks (`RequestReads`).
        let notes = reportsReads(to: request) ? FieldNotes() : nil
        let token = notes.map { readings.add(.request($0)) }
        defer { token.map(readings.remove) }
        if let token { headers.replaceOrAdd(name: Readings.header, value: token) }
        var response =
            if let port = running.port {
                try await forward(request, headers: headers, to: port)
            } else {
                try await answer(request, headers: headers, in: running)
            }
        if let notes { response.head.headerFields[RequestReads.answerHeader] = RequestReads.encode(notes.reads.values) }
        return response
    }

    private func reportsReads(to request: ServiceRequest) -> Bool {
        guard request.head.headerFields[RequestReads.askHeader] != nil, let identity = environment.identity else { return false }
        return (try? identity.verify(request.head, at: name)) != nil
    }

    /// What Vapor's in-memory tester does, with public API: a `Request` with its body collected, through
    /// the router and middleware, the response's body collected.
    private func answer(_ request: ServiceRequest, headers: HTTPHeaders, in running: Running) async throws -> ServiceResponse {
        let app = running.app
        let eventLoop = app.eventLoopGroup.any()
        let incoming = Request(
            application: app, method: HTTPMethod(rawValue: request.head.method.rawValue), url: URI(string: request.head.path ?? "/"),
            headers: headers, collectedBody: request.body.readableBytes == 0 ? nil : request.body, logger: app.logger, on: eventLoop)
        incoming.serviceContext = ServiceContext.current ?? .topLevel
        let response: Response
        do {
            response = try await running.responder.respond(to: incoming).get()
        } catch {
            environment.logger.error("unhandled error escaped \(name)", metadata: ["error": "\(error)"])
            return .problem(.internalServerError, "\(name) failed to answer \(request.route): \(error)")
        }
        // A streamed body is collected on the event loop; one already whole is taken as it is, with no hop.
        var body = response.body.buffer ?? ByteBuffer()
        if response.body.buffer == nil { body = try await response.body.collect(on: eventLoop).get() ?? body }
        return ServiceResponse(head: HTTPResponse(status: .init(code: Int(response.status.code)), headerFields: response.headers.fields), body: body)
    }

    /// The same request to the app's own listener on loopback.
    private func forward(_ request: ServiceRequest, headers: HTTPHeaders, to port: Int) async throws -> ServiceResponse {
        var outgoing = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(request.head.path ?? "/")")
        outgoing.method = HTTPMethod(rawValue: request.head.method.rawValue)
        outgoing.headers = headers
        // The span the stack's host opened for this request is the parent of the calls its handler makes.
        if let trace = ServiceContext.current?.traceContext {
            outgoing.headers.replaceOrAdd(name: "traceparent", value: trace.traceParentHeaderValue)
        }
        if request.body.readableBytes > 0 { outgoing.body = .bytes(request.body) }
        let timeout = request.timeout.map { TimeAmount.nanoseconds(Int64($0 / .nanoseconds(1))) } ?? .seconds(60)
        let answer = try await HTTPClient.shared.execute(outgoing, timeout: timeout)
        let body = try await answer.body.collect(upTo: 64 << 20)
        return ServiceResponse(head: HTTPResponse(status: .init(code: Int(answer.status.code)), headerFields: answer.headers.fields), body: body)
    }

    /// One call of the app's `Client` to a peer, named by the URL's host (`http://catalog/books/1`), as a
    /// hop of the stack. A successful answer carries a token its `Content` decoding is recorded under.
    func send(_ request: ClientRequest) async throws -> ClientResponse {
        guard let peer = request.url.host, !peer.isEmpty else {
            throw HarnessError("\(request.url) names no service: its host is the peer's name (http://catalog/books/1)")
        }
        guard let method = HTTPRequest.Method(request.method.rawValue) else { throw HarnessError("\(request.method) is not an HTTP method") }
        let provider = ServiceName(peer)
        let path = (request.url.path.isEmpty ? "/" : request.url.path) + (request.url.query.map { "?" + $0 } ?? "")
        let head = HTTPRequest(method: method, scheme: "http", authority: peer, path: path, headerFields: request.headers.fields)
        var sent = ServiceRequest(caller: name, callee: provider, head: head, body: request.body)
        if let timeout = request.timeout { sent.timeout = .nanoseconds(timeout.nanoseconds) }
        let observer = environment.readObserver
        var asking = sent
        if observer != nil { asking.head.headerFields[RequestReads.askHeader] = "1" }
        let response = try await environment.transport.send(asking)
        var headers = HTTPHeaders(response.head.headerFields)
        headers.remove(name: Readings.header)
        if let observer, response.status.kind == .successful {
            guard let route = consumes.first(where: { $0.provider == provider && $0.route.matches(method, path) })?.route else {
                throw HarnessError(
                    "\(name) called \(provider) \(method) \(path), which matches none of the routes it consumes: add its PeerRoute to the VaporService's consumes"
                )
            }
            let read = AnswerRead(
                consumer: name, provider: provider, route: route.description, status: Int(response.status.code), request: sent,
                requestRead: RequestReads.reported(in: response.head.headerFields), observer: observer)
            headers.replaceOrAdd(name: Readings.header, value: readings.add(.answer(read)))
        }
        return ClientResponse(
            status: HTTPResponseStatus(statusCode: Int(response.status.code)), headers: headers,
            body: response.body.readableBytes == 0 ? nil : response.body)
    }
}

/// The app's `Client` (`app.client`, `req.client`): every call a hop of the stack.
struct StackVaporClient: Client {
    let host: VaporHost
    let eventLoop: any EventLoop

    func delegating(to eventLoop: any EventLoop) -> any Client {
        StackVaporClient(host: host, eventLoop: eventLoop)
    }

    func send(_ request: ClientRequest) -> EventLoopFuture<ClientResponse> {
        eventLoop.makeFutureWithTask { [host] in try await host.send(request) }
    }
}

extension HTTPHeaders {
    init(_ fields: HTTPFields) {
        self.init(fields.map { ($0.name.rawName, $0.value) })
    }

    var fields: HTTPFields {
        var fields = HTTPFields()
        for (name, value) in self {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return fields
    }
}

/// Over sockets: the request's span, from the `traceparent` the host sent, as the request's service context.
struct TraceParent: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let parent = request.headers.first(name: "traceparent"),
            let trace = try? TraceContext(traceParentHeaderValue: parent, traceStateHeaderValue: request.headers.first(name: "tracestate"))
        {
            var context = ServiceContext.topLevel
            context.traceContext = trace
            request.serviceContext = context
        }
        return try await next.respond(to: request)
    }
}
