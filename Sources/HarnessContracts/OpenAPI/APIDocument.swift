import HTTPTypes
import NIOCore

/// A service's OpenAPI 3.1 document: what it promises each route answers, served at `GET /openapi.json`
/// and checked against every response the stack carries (`APIDocument.problems`), so a document that
/// drifts from the code fails like any other drift.
///
/// Written by hand beside the service's code (its `API.swift`), never derived from the handlers: a
/// document generated from the code could not disagree with it.
public struct APIDocument: Sendable {
    public let json: JSON
    let answers: RouteTable<Answers>

    /// A route's answers by status (`"201"`, `"4XX"`; null for one with no JSON body), and the same
    /// schemas compiled, which every answer on every hop is checked with.
    struct Answers: Sendable {
        let route: Route
        let responses: [String: JSON]
        let checks: [String: SchemaValidator.Compiled]

        init(_ route: Route, _ responses: [String: JSON], _ validator: SchemaValidator) {
            self.route = route
            self.responses = responses
            checks = responses.compactMapValues { $0 == .null ? nil : validator.compile($0) }
        }
    }
    let validator: SchemaValidator

    /// One route: its method, template, summary, request body and answers by status (`"201"`, `"4XX"`).
    public struct Operation: Sendable {
        public var method: HTTPRequest.Method
        public var template: String
        public var summary: String
        /// The rules a schema cannot carry, or that a reader would not guess: what is ignored, what is coerced.
        public var description: String?
        public var request: Schema?
        /// Whether a request without a body is refused; false where an empty body means "no fields".
        public var requestRequired: Bool
        public var parameters: [Parameter]
        public var access: Access
        public var responses: [String: Schema?]

        /// - Parameter responses: each status's body schema; nil for an answer without a JSON body.
        public init(
            _ method: HTTPRequest.Method, _ template: String, _ summary: String, description: String? = nil,
            request: Schema? = nil, requestRequired: Bool = true, parameters: [Parameter] = [], access: Access = .authenticated,
            responses: [String: Schema?]
        ) {
            (self.method, self.template, self.summary, self.description) = (method, template, summary, description)
            (self.request, self.requestRequired, self.parameters, self.access, self.responses) = (
                request, requestRequired, parameters, access, responses
            )
        }

        var route: Route { Route(method, template) }
    }

    /// A query parameter or header an operation reads (path parameters come from its template).
    public struct Parameter: Sendable {
        public enum Location: String, Sendable { case query, header }
        public var name: String
        public var location: Location
        public var schema: Schema
        public var required: Bool
        public var description: String

        public static func query(_ name: String, _ schema: Schema, _ description: String) -> Parameter {
            Parameter(name: name, location: .query, schema: schema, required: false, description: description)
        }

        public static func header(_ name: String, _ schema: Schema, _ description: String, required: Bool = false) -> Parameter {
            Parameter(name: name, location: .header, schema: schema, required: required, description: description)
        }

        var json: JSON {
            [
                "name": .string(name), "in": .string(location.rawValue), "required": .bool(required), "schema": schema.json,
                "description": .string(description),
            ]
        }
    }

    /// Whether an operation needs the document's security scheme.
    public enum Access: Sendable {
        /// Refused without it (the document's default).
        case authenticated
        /// Answered either way; the credentials, when given, change what it does.
        case optional
        /// Open to anyone.
        case open
    }

    /// How callers authenticate: a name and its OpenAPI security scheme object.
    public struct SecurityScheme: Sendable {
        public var name: String
        public var scheme: JSON

        public init(name: String, scheme: JSON) { (self.name, self.scheme) = (name, scheme) }

        /// HTTP Basic, as Balanced's API keys are sent.
        public static func basic(_ description: String) -> SecurityScheme {
            SecurityScheme(name: "basic", scheme: ["type": "http", "scheme": "basic", "description": .string(description)])
        }

        /// The credential one service of a deployment presents to another (`ServiceIdentity`).
        public static let serviceCredential = SecurityScheme(
            name: "serviceCredential",
            scheme: [
                "type": "apiKey", "in": "header", "name": .string(HTTPField.Name.serviceCredential.rawName),
                "description": """
                v1;caller=…;callee=…;tenant=…;expires=…;signature=…: HMAC-SHA256 with the deployment's service key over the caller, \
                the callee, the tenant (X-Tenant), the expiry, the method and the path. Only the services each route names may call it.
                """,
            ])
    }

    /// What every service answers besides its own routes: `GET /health` and `GET /openapi.json`.
    public static let common = [
        Operation(
            .get, "/health", "Whether the service and its database answer.", access: .open,
            responses: [
                // A build that knows its commit says it (`version` short, `commit` in full): what an environment runs.
                "200": .object(
                    ["service": .string, "status": .oneOf("ok"), "version": .string, "commit": .string], optional: ["version", "commit"]),
                "503": .object(["service": .string, "status": .oneOf("unavailable")]),
            ]),
        Operation(.get, "/openapi.json", "This document.", access: .open, responses: ["200": .any]),
    ]

    /// - Parameters:
    ///   - title: the service's name; its routes are served under `/<title>` (`harness serve`, a deploy's
    ///     front door), the document's one server.
    ///   - description: what holds for every operation (how bodies are read, what is ignored).
    ///   - security: how callers authenticate; nil when the service does not.
    ///   - operations: each answers its `4XX` and `5XX` in `errors`' envelope unless it says otherwise.
    ///   - errors: how the service's errors look; nil when each operation declares its own.
    public init(
        title: String, version: String = "1.0", summary: String, description: String? = nil, security: SecurityScheme? = nil,
        operations: [Operation], schemas: [String: Schema], errors: ErrorEnvelope? = nil
    ) {
        let all = (Self.common + operations).map { operation in
            var operation = operation
            for family in ["4XX", "5XX"] where operation.responses.index(forKey: family) == nil {
                if let errors { operation.responses[family] = errors.response }
            }
            return operation
        }
        let schemas = schemas.merging(errors?.schemas ?? [:]) { mine, _ in mine }
        var paths: [String: [String: JSON]] = [:]
        for operation in all {
            var entry: [String: JSON] = ["summary": .string(operation.summary), "operationId": .string(Self.operationID(operation))]
            if let description = operation.description { entry["description"] = .string(description) }
            let parameters =
                operation.route.parameterNames.map { name -> JSON in
                    ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]]
                } + operation.parameters.map(\.json)
            if !parameters.isEmpty { entry["parameters"] = .array(parameters) }
            if let request = operation.request {
                entry["requestBody"] = ["required": .bool(operation.requestRequired), "content": ["application/json": ["schema": request.json]]]
            }
            if let security {
                switch operation.access {
                case .authenticated: break
                case .optional: entry["security"] = [[:], [security.name: []]]
                case .open: entry["security"] = []
                }
            }
            entry["responses"] = .object(
                operation.responses.mapValues { schema in
                    var response: [String: JSON] = ["description": "answer"]
                    if let schema { response["content"] = ["application/json": ["schema": schema.json]] }
                    return .object(response)
                })
            paths[operation.template, default: [:]][operation.method.rawValue.lowercased()] = .object(entry)
        }
        var info: [String: JSON] = ["title": .string(title), "version": .string(version), "summary": .string(summary)]
        if let description { info["description"] = .string(description) }
        var document: [String: JSON] = [
            "openapi": "3.1.0", "info": .object(info),
            "servers": [["url": .string("/\(title)"), "description": "the service under its name at a stack's base URL"]],
            "paths": .object(paths.mapValues(JSON.object)),
            "components": ["schemas": .object(schemas.mapValues(\.json))],
        ]
        if let security {
            document["components"] = ["schemas": .object(schemas.mapValues(\.json)), "securitySchemes": [security.name: security.scheme]]
            document["security"] = [[security.name: []]]
        }
        json = .object(document)
        let validator = SchemaValidator(components: schemas.mapValues(\.json))
        answers = RouteTable(
            all.map { operation in Answers(operation.route, operation.responses.mapValues { $0?.json ?? .null }, validator) }, route: \.route)
        self.validator = validator
    }

    /// A document read back from its JSON (one served at `GET /openapi.json`, or kept in a file).
    public init(parsing json: JSON) throws(Malformed) {
        guard json["openapi"].string?.hasPrefix("3.") == true, let paths = json["paths"].object else {
            throw Malformed(description: "not an OpenAPI 3 document with paths")
        }
        let validator = SchemaValidator(components: json["components"]["schemas"].object ?? [:])
        var answers: [Answers] = []
        for (template, methods) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, operation) in (methods.object ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let method = HTTPRequest.Method(method.uppercased()), let responses = operation["responses"].object else {
                    throw Malformed(description: "\(template) \(method) is not an operation with responses")
                }
                answers.append(Answers(Route(method, template), responses.mapValues { $0["content"]["application/json"]["schema"] }, validator))
            }
        }
        self.json = json
        self.answers = RouteTable(answers, route: \.route)
        self.validator = validator
    }

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    /// A name for the operation, from its method and route, for generated clients:
    /// `POST /cards/{id}/debits` → `createCardsByIdDebits`, `GET /debits` → `listDebits`.
    static func operationID(_ operation: Operation) -> String {
        let segments = operation.route.segments
        let getsOne = if case .parameter? = segments.last { true } else { false }
        let verb =
            switch operation.method {
            case .get: getsOne ? "get" : "list"
            case .post: "create"
            case .put: "update"
            case .patch: "patch"
            case .delete: "delete"
            default: operation.method.rawValue.lowercased()
            }
        let words = segments.map { segment -> String in
            switch segment {
            case .literal(let literal):
                literal.split(whereSeparator: { $0 == "_" || $0 == "." }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            case .parameter(let name): "By" + (name ?? "").capitalized
            case .rest: ""
            }
        }
        return verb + words.joined()
    }

    /// The routes the document describes (`GET /cards/{id}`).
    public var routes: [Route] { answers.elements.map(\.route) }

    /// What is wrong with an answer of `status` and `body` to `method path`, by the document; empty
    /// when it conforms. A path the document lacks is one problem, unless the service had no route for
    /// it either (its router's 404 or 405).
    public func problems(_ method: HTTPRequest.Method, _ path: String, status: Int, body: ByteBuffer) -> [String] {
        var parsed: JSON?
        return problems(method, path, status: status, body: body, parsed: &parsed)
    }

    /// `problems`, parsing the body at most once: `parsed` is the body's JSON if a caller has it, and
    /// holds it afterwards when the check parsed it.
    public func problems(_ method: HTTPRequest.Method, _ path: String, status: Int, body: ByteBuffer, parsed: inout JSON?) -> [String] {
        guard let operation = operation(method, path) else {
            if [404, 405].contains(status) { return [] }
            return ["\(method) \(path.split(separator: "?").first ?? "") is not in the document"]
        }
        let (exact, family) = (String(status), "\(status / 100)XX")
        guard operation.responses[exact] ?? operation.responses[family] != nil else {
            let declared = operation.responses.keys.sorted().joined(separator: ", ")
            return ["status \(status) is not declared (the document declares \(declared))"]
        }
        guard let schema = operation.responses[exact] != nil ? operation.checks[exact] : operation.checks[family] else { return [] }
        guard let value = parsed ?? (try? JSON(parsing: body)) else { return ["the body is not JSON"] }
        parsed = value
        return validator.mismatches(value, against: schema).map(\.description)
    }

    /// The operation `method path` is on, by `Route`'s precedence (`/checks/stats` before `/checks/{id}`).
    func operation(_ method: HTTPRequest.Method, _ path: String) -> Answers? {
        answers.match(method, path)
    }

    /// The route `method path` is on, by the document.
    public func route(_ method: HTTPRequest.Method, _ path: String) -> Route? { operation(method, path)?.route }
}

/// How a service's errors look: the schemas its `4XX` and `5XX` answers use, and the one they answer with.
public struct ErrorEnvelope: Sendable {
    public var schemas: [String: Schema]
    public var response: Schema

    public init(schemas: [String: Schema], response: Schema) {
        self.schemas = schemas
        self.response = response
    }
}
