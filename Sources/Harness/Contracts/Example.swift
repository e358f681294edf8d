import HTTPTypes
import HarnessContracts
import HarnessCore

/// One call of an interaction as its consumer made it, and a value that came for each field it read.
///
/// What a Pact needs and a contract file does not: it is recorded only while recording, and never
/// written to `contracts/`, where its ids would change every run.
public struct Example: Sendable, Equatable {
    public var method: String
    /// The path with its query, as sent: `/checks/stats?window=3600`.
    public var path: String
    /// The headers the consumer set itself, by lowercased name.
    public var headers: [String: String]
    public var body: JSON?
    /// For each response field read (`debits[].amount`), the first value that came and was not null.
    public var values: [String: JSON]

    init(_ request: HTTPRequest, body: JSON?, answer: JSON, fields: [FieldRead]) {
        method = request.method.rawValue
        path = request.path ?? "/"
        headers = Dictionary(request.headerFields.map { ($0.name.canonicalName, $0.value) }) { first, _ in first }
        // Card numbers and security codes never reach a Pact file: a provider state gives the verifier its own.
        self.body = body.map(Redaction.apply)
        values = Dictionary(
            uniqueKeysWithValues: fields.compactMap { field in
                answer[JSONPath(field.path)].map { (field.path, Redaction.apply($0)) }
            })
    }

    /// Keeps this call, and takes a value for each field that had none or only null.
    mutating func merge(_ other: Example) {
        for (path, value) in other.values where values[path] == nil || (values[path]!.isNull && !value.isNull) {
            values[path] = value
        }
    }

    static func key(_ consumer: ServiceName, _ provider: ServiceName, _ route: String, _ status: Int) -> String {
        "\(consumer)|\(provider)|\(route)|\(status)"
    }

    var json: JSON {
        var object: [String: JSON] = [
            "method": .string(method), "path": .string(path),
            "headers": .object(headers.mapValues(JSON.string)), "values": .object(values),
        ]
        object["body"] = body
        return .object(object)
    }

    init?(json: JSON) {
        guard let method = json["method"].string, let path = json["path"].string else { return nil }
        self.method = method
        self.path = path
        headers = json["headers"].object?.compactMapValues(\.string) ?? [:]
        if !json["body"].isNull { body = json["body"] }
        values = json["values"].object ?? [:]
    }
}
