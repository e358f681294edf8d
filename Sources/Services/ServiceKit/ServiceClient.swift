import Foundation
import HTTPTypes
import HarnessContracts
import HarnessCore
import NIOCore

/// How one service calls the others: by name, through the transport, as itself.
///
/// Every answer is decoded as the caller's own view of the provider's response, so drift fails loudly
/// with a `ContractViolation`. Trace context is added on the way out by the transport's middleware.
///
/// ```swift
/// let check: FraudCheck = try await peers.call("fraud", .post, "/checks", body: request)
/// ```
public struct ServiceClient: Sendable {
    public let caller: ServiceName?
    public let transport: any Transport
    let readObserver: (any ReadObserver)?

    public init(caller: ServiceName?, transport: any Transport, readObserver: (any ReadObserver)? = nil) {
        self.caller = caller
        self.transport = transport
        self.readObserver = readObserver
    }

    /// Sends one request and returns the raw answer, whatever its status.
    public func send(
        _ service: ServiceName, _ method: HTTPRequest.Method, _ path: String,
        body: ByteBuffer? = nil, headers: HTTPFields = [:], timeout: Duration? = nil
    ) async throws -> ServiceResponse {
        var fields = headers
        if body != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        let head = HTTPRequest(method: method, scheme: "http", authority: service.rawValue, path: path, headerFields: fields)
        var request = ServiceRequest(caller: caller, callee: service, head: head, body: body)
        request.timeout = timeout
        return try await transport.send(request)
    }

    /// Calls a peer's route with a concrete `path` and decodes its answer as `T`, with the route's
    /// timeout and retries.
    public func call<T: Decodable>(
        _ route: PeerRoute, path: String, body: JSON? = nil, headers: HTTPFields = [:],
        as type: T.Type = T.self
    ) async throws -> T {
        try await call(
            route.provider, route.method, path, body: body, headers: headers, route: route.route.description,
            timeout: route.timeout, retries: route.retries)
    }

    /// Sends a request to a peer's route with the route's timeout and retries, and returns the raw answer.
    ///
    /// A request that got no answer, or a 502/503/504, is sent again up to `retries` times; no answer at
    /// all after the last is a 503 `upstream-unavailable` naming the provider and route.
    public func exchange(_ route: PeerRoute, path: String, body: ByteBuffer?, headers: HTTPFields = [:]) async throws -> ServiceResponse {
        try await exchange(
            route.provider, route.method, path, body: body, headers: headers, route: route.route.description,
            timeout: route.timeout, retries: route.retries)
    }

    func exchange(
        _ service: ServiceName, _ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, headers: HTTPFields,
        route: String, timeout: Duration?, retries: Int
    ) async throws -> ServiceResponse {
        for attempt in 0...retries {
            do {
                let response = try await send(service, method, path, body: body, headers: headers, timeout: timeout)
                if [502, 503, 504].contains(response.status.code), attempt < retries { continue }
                return response
            } catch let error as ServiceError {
                throw error
            } catch {
                guard attempt == retries else { continue }
                // No answer at all (a timeout, a reset connection): the peer is unavailable, which the
                // caller's client may retry later; never a 500 of the caller's own.
                throw ServiceError(
                    .serviceUnavailable, "upstream-unavailable", "\(service) \(route) did not answer: \(error)",
                    categoryType: "logical", extras: ["provider": .string(service.rawValue), "route": .string(route)])
            }
        }
        throw ServiceError(.serviceUnavailable, "upstream-unavailable", "\(service) \(route) did not answer")
    }

    /// Calls a peer and decodes its answer as `T`.
    ///
    /// A 4xx from the peer is the caller's client's fault and is passed on as it came; anything else
    /// that is not a 2xx becomes a 502 naming the peer, and no answer at all a 503.
    /// - Parameter route: the route as the provider declares it (`GET /cards/{id}`), for diagnoses.
    public func call<T: Decodable>(
        _ service: ServiceName, _ method: HTTPRequest.Method, _ path: String,
        body: JSON? = nil, headers: HTTPFields = [:], route: String? = nil,
        timeout: Duration? = nil, retries: Int = 0, as type: T.Type = T.self
    ) async throws -> T {
        var asking = headers
        if readObserver != nil { asking[RequestReads.askHeader] = "1" }
        let route = route ?? "\(method) \(path)"
        let response = try await exchange(
            service, method, path, body: body?.encoded(), headers: asking, route: route,
            timeout: timeout, retries: retries)
        let sent = { HTTPRequest(method: method, scheme: nil, authority: nil, path: path, headerFields: headers) }
        switch response.status.kind {
        case .successful:
            let consumer = caller ?? "client"
            guard let readObserver else {
                return try ContractViolation.decode(
                    T.self, from: response.body, json: response.parsedBody as? JSON, consumer: consumer, provider: service, route: route)
            }
            let notes = FieldNotes()
            var answer = JSON.null
            let view: T
            do {
                view = try ContractViolation.decode(
                    T.self, from: response.body, json: response.parsedBody as? JSON, consumer: consumer, provider: service, route: route,
                    notes: notes
                ) { answer = $0 }
            } catch {
                readObserver.drifted(error.drift)
                throw error
            }
            var read = ObservedRead(
                consumer: consumer, provider: service, route: route, status: response.status.code,
                fields: notes.reads.values.sorted(), body: answer)
            read.view = String(describing: T.self)
            read.requestSent = Set(body?.object?.keys.map { $0 } ?? [])
            read.requestRead = RequestReads.reported(in: response.head.headerFields)
            read.request = sent()
            read.requestBody = body
            readObserver.observed(read)
            return view
        case .clientError where response.json?["errors"][0]["extras"]["reason"].string == ServiceError.noSuchRoute:
            // The provider no longer has the route: that is drift between services, not the client's fault.
            let drift = Drift(
                consumer: caller ?? "client", provider: service, route: route, field: nil, kind: .routeGone,
                detail: "the provider answers \(response.status.code): it has no such route")
            readObserver?.drifted(drift)
            throw ContractViolation(drift)
        case .clientError:
            if let readObserver, let caller {
                let answer = response.json ?? .null
                var read = ObservedRead(consumer: caller, provider: service, route: route, status: response.status.code, fields: [], body: answer)
                read.refusedFields = (answer["errors"][0]["extras"].object?.keys.sorted() ?? [])
                read.requestSent = Set(body?.object?.keys.map { $0 } ?? [])
                read.requestRead = RequestReads.reported(in: response.head.headerFields)
                read.request = sent()
                read.requestBody = body
                readObserver.observed(read)
            }
            throw ForwardedError(response: response)
        default:
            throw ServiceError(
                .badGateway, "upstream-failure",
                "\(service) \(route) answered \(response.status.code): \(response.bodyText.prefix(300))",
                categoryType: "logical")
        }
    }
}

/// A peer's 4xx, passed to the caller's own client unchanged.
public struct ForwardedError: Error {
    public let response: ServiceResponse
}
