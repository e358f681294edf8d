import HarnessContracts
import HarnessCore
import Logging
import Synchronization

/// A service alone: the service under test in memory, its peers answered by stubs, and every stub's
/// answer checked against its provider's OpenAPI document.
///
/// A stub is written by hand, so nothing makes it agree with the provider it stands in for: a fake
/// fraud that forgets `csc_check` lets payments' tests pass on an answer fraud never gives, and
/// the drift shows only when the whole stack runs. So each answer is checked the way `DocumentCheck`
/// checks a stack's hops, and one that differs is reported (`report`) once, naming the stub, the
/// route and what differs:
/// `the fraud stub answered off fraud's document: POST /checks answered 201: $.csc_check: is required but missing`.
///
/// ```swift
/// let documents = try SystemUnderTest.payments.documents()
/// let transport = try StubTransport(stubs: [.fraud: { _ in ServiceResponse(.created, json: check) }],
///                                   documents: documents) { drift in Issue.record(Comment(rawValue: drift)) }
/// transport.local.register(try PaymentsService(environment: ServiceEnvironment(transport: transport)))
/// ```
///
/// The check is never off. A test of how a consumer copes with a provider that drifted stubs it off
/// its document on purpose and names it in `drifting`: its answers are still checked and kept in
/// `drift`, for the test to assert, but not reported.
public final class StubTransport: Transport {
    public typealias Stub = @Sendable (ServiceRequest) async throws -> ServiceResponse

    /// Where the services under test are registered: a request to a service without a stub goes there.
    public let local: InMemoryTransport
    let stubs: [ServiceName: Stub]
    let documents: [ServiceName: APIDocument]
    let drifting: Set<ServiceName>
    let report: @Sendable (String) -> Void
    private let found = Mutex<[String]>([])

    /// - Parameters:
    ///   - stubs: what answers for each peer, by name.
    ///   - documents: each stubbed peer's OpenAPI document (the one it serves at `GET /openapi.json`,
    ///     or the copy a client is generated from; `SystemUnderTest.documents()` for services in this
    ///     process). A stub without one is an error: it would go unchecked.
    ///   - drifting: the stubs that answer off their document on purpose.
    ///   - logger: the logger of the service under test's in-memory host.
    ///   - report: called once with each line of `drift` from a stub not in `drifting`; a test
    ///     records it as a failure.
    public init(
        stubs: [ServiceName: Stub], documents: [ServiceName: APIDocument], drifting: Set<ServiceName> = [],
        logger: Logger, report: @escaping @Sendable (String) -> Void
    ) throws {
        let unchecked = stubs.keys.filter { documents[$0] == nil }.map(\.rawValue).sorted()
        guard unchecked.isEmpty else {
            throw HarnessError(
                """
                no OpenAPI document to check the stub of \(unchecked.joined(separator: ", ")) against: pass the provider's \
                document (the one it serves at GET /openapi.json, or the copy your client is generated from)
                """)
        }
        let strays = drifting.subtracting(stubs.keys).map(\.rawValue).sorted()
        guard strays.isEmpty else {
            throw HarnessError(
                "drifting names \(strays.joined(separator: ", ")), which has no stub here; name only stubs that answer off their document")
        }
        self.local = InMemoryTransport(logger: logger)
        (self.stubs, self.documents, self.drifting, self.report) = (stubs, documents, drifting, report)
    }

    /// Every stubbed answer so far that differs from its provider's document, once each, in the order
    /// seen, those of `drifting` stubs included.
    public var drift: [String] { found.withLock { $0 } }

    public func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        guard let stub = stubs[request.callee], let document = documents[request.callee] else { return try await local.send(request) }
        var response = try await stub(request)
        var parsed = response.parsedBody as? JSON
        if let mismatch = DocumentCheck.mismatch(request, response, in: document, parsed: &parsed) {
            let line = "the \(request.callee) stub answered off \(request.callee)'s document: \(mismatch)"
            let isNew = found.withLock { found in
                guard !found.contains(line) else { return false }
                found.append(line)
                return true
            }
            if isNew, !drifting.contains(request.callee) { report(line) }
        }
        response.parsedBody = parsed
        return response
    }
}

extension SystemUnderTest {
    /// The OpenAPI document each service serves, by name: what stubs of them are checked against
    /// (`StubTransport`). Builds every service once, with in-memory storage, and calls none.
    public func documents() throws -> [ServiceName: APIDocument] {
        let transport = InMemoryTransport(logger: Stack.quietLogger)
        let services = try makeServices { StackEnvironment(name: $0, transport: transport) }
        return services.documentsByName
    }
}
