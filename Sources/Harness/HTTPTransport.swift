import AsyncHTTPClient
import Foundation
import HTTPTypes
import HarnessCore
import NIOCore
import NIOPosix
import Synchronization

/// Sends each request over real HTTP to `<base URL>/<service name><path>`, or to a peer's own base URL
/// for a service that runs elsewhere (`Peers`).
///
/// Used by `harness serve` (services calling each other on loopback), by the loopback test mode, and by
/// suites aimed at a staging URL. The base URL can be set after creation, once a server bound to port 0
/// knows its port.
public final class HTTPTransport: Transport {
    private let base: Mutex<String>
    let peers: Peers
    let client: HTTPClient
    let timeout: TimeAmount

    public init(baseURL: String = "", peers: Peers = Peers(), client: HTTPClient = .untraced, timeout: TimeAmount = .seconds(30)) {
        self.base = Mutex(Peers.trimmed(baseURL))
        self.peers = peers
        self.client = client
        self.timeout = timeout
    }

    public var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    public func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        var outbound = HTTPClientRequest(url: "\(peers.urls[request.callee] ?? baseURL)/\(request.callee.rawValue)\(request.head.path ?? "/")")
        outbound.method = .init(rawValue: request.head.method.rawValue)
        for field in request.head.headerFields {
            outbound.headers.add(name: field.name.rawName, value: field.value)
        }
        if request.body.readableBytes > 0 || request.head.method == .post || request.head.method == .put {
            outbound.body = .bytes(request.body)
        }
        do {
            let response = try await client.execute(outbound, timeout: request.timeout.map { .nanoseconds(Int64($0.microseconds * 1000)) } ?? timeout)
            var fields = HTTPFields()
            for header in response.headers {
                if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
            }
            let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
            return ServiceResponse(head: HTTPResponse(status: .init(code: Int(response.status.code)), headerFields: fields), body: body)
        } catch {
            throw Self.failure(error, route: request.route)
        }
    }

    /// A connection that failed or was lost, as a `HopFailure` that names what happened; any other error as
    /// it came. The HTTP client reports these by its own cases and the system's errno under NIO's wording
    /// ("connection reset (error set): Connection refused (errno: 111)"), which names neither plainly.
    static func failure(_ error: any Error, route: String) -> any Error {
        if let error = error as? HTTPClientError {
            if error == .remoteConnectionClosed { return HopFailure(kind: .connectionReset, route: route) }
            if [.readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout].contains(error) {
                return HopFailure(kind: .timedOut, route: route)
            }
            return error
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return HopFailure(kind: .connectionFailed("cannot resolve \(error.host)"), route: route)
            }
            return error.connectionErrors.first.map { failure($0.error, route: route) } ?? error
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return HopFailure(kind: .timedOut, route: route) }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return HopFailure(kind: .connectionRefused, route: route)
            case ECONNRESET, EPIPE: return HopFailure(kind: .connectionReset, route: route)
            case ETIMEDOUT: return HopFailure(kind: .timedOut, route: route)
            default: return HopFailure(kind: .connectionFailed(error.plainReason), route: route)
            }
        }
        return error
    }
}

extension IOError {
    /// The failure as the system words it, without the NIO function that met it: "address already in use".
    var plainReason: String {
        let text = String(cString: strerror(errnoCode))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

extension HTTPClient {
    /// A client that leaves tracing to `TracingTransportMiddleware`: AsyncHTTPClient would otherwise open
    /// a span of its own and send a second `traceparent`, which a server cannot read as one parent.
    public static let untraced = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .untraced)

    /// A client of its own (for callers that must not share connections with the services), untraced.
    public static func makeUntraced() -> HTTPClient {
        HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .untraced)
    }
}

extension HTTPClient.Configuration {
    static var untraced: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.tracing.tracer = nil
        // Every service of a stack is one host (its gateway), and a request holds its connection while
        // the hops it makes wait for theirs: at the default of 8, eight concurrent requests starve their
        // own hops until they time out.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        return configuration
    }
}
