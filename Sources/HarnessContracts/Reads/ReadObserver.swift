import HTTPTypes
import HarnessCore

/// Sees what a consumer's view read of each answer it decoded: the harness records contracts from it
/// and checks live reads against them. A served service has none.
public protocol ReadObserver: Sendable {
    func observed(_ read: ObservedRead)
    /// A consumer could not read an answer at all (or its route is gone): it fails the request with a 502.
    func drifted(_ drift: Drift)
}

/// One decoded answer: who read which provider route, what status came, the fields read, and the body.
public struct ObservedRead: Sendable {
    public var consumer: ServiceName
    public var provider: ServiceName
    /// The route as the provider declares it (`GET /cards/{id}`).
    public var route: String
    public var status: Int
    public var fields: [FieldRead]
    public var body: JSON
    /// For a 4xx passed on to the caller: the request fields the provider's error names (`extras`).
    public var refusedFields: [String] = []
    /// The consumer's view type that read the answer (`FraudCheck`).
    public var view: String?
    /// Every field the answer offered (`debits[].amount`), whether read or not.
    public var offered: Set<String> = []
    /// The request fields the consumer sent, and those the provider's handler read (when it reports them).
    public var requestSent: Set<String> = []
    public var requestRead: [FieldRead]?
    /// The call as the consumer made it (its own headers, none the harness adds), and its body.
    public var request: HTTPRequest?
    public var requestBody: JSON?

    /// Takes the call as it was sent: its head, its body and the fields the body sends.
    public mutating func note(_ sent: ServiceRequest) {
        request = sent.head
        requestBody = try? JSON(parsing: sent.body)
        requestSent = Set(requestBody?.object?.keys.map { $0 } ?? [])
    }

    public init(consumer: ServiceName, provider: ServiceName, route: String, status: Int, fields: [FieldRead], body: JSON) {
        self.consumer = consumer
        self.provider = provider
        self.route = route
        self.status = status
        self.fields = fields
        self.body = body
    }
}
