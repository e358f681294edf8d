import HTTPTypes
import HarnessCore
import NIOCore

/// A consumer's copy of its provider's OpenAPI document — the one its generated client was made from —
/// taken as the consumer's contract: the client decodes what the copy declares, so that is what it reads.
///
/// Every answer the provider gives the consumer is checked against the copy (``drift(_:_:status:body:)``),
/// and the copy is compared with the provider's own document before anything is sent
/// (``breakingChanges(in:)``): the diagnoses name consumer, provider, route and field like those of a
/// hand-written view, a likely rename included.
public struct DocumentContract: Sendable {
    public let consumer: ServiceName
    public let provider: ServiceName
    public let copy: APIDocument

    public init(consumer: ServiceName, provider: ServiceName, copy: APIDocument) {
        self.consumer = consumer
        self.provider = provider
        self.copy = copy
    }

    /// The route a call is on, by the copy (`GET /books/{isbn}`).
    public func route(_ method: HTTPRequest.Method, _ path: String) -> Route? { copy.route(method, path) }

    /// What in one answer the consumer's client cannot read: a required field missing (and what it was
    /// likely renamed to), a type changed, a null the copy does not allow, an enum value it does not
    /// list, a status it does not declare. Empty when the answer reads; fields the copy does not know
    /// are not drift (a generated client ignores them).
    public func drift(_ method: HTTPRequest.Method, _ path: String, status: Int, body: ByteBuffer, json parsed: JSON? = nil) -> [Drift] {
        guard let operation = copy.operation(method, path) else { return [] }
        let (route, responses) = (operation.route, operation.responses)
        func drift(_ field: String?, _ kind: DriftKind, _ detail: String, rename: String? = nil) -> Drift {
            Drift(consumer: consumer, provider: provider, route: route.description, field: field, kind: kind, detail: detail, likelyRename: rename)
        }
        guard let schema = responses[String(status)] ?? responses["\(status / 100)XX"] else {
            let declared = responses.keys.sorted().joined(separator: ", ")
            return [drift(nil, .statusChanged, "the provider answered \(status); the consumer's copy of its document declares \(declared)")]
        }
        let exact = responses[String(status)] != nil
        guard schema != .null, let check = operation.checks[exact ? String(status) : "\(status / 100)XX"] else { return [] }
        guard let value = parsed ?? (try? JSON(parsing: body)) else {
            return [drift(nil, .bodyUnreadable, "the body is not JSON (\(body.readableBytes) bytes)")]
        }
        var found: [Drift] = []
        for mismatch in copy.validator.mismatches(value, against: check) {
            let field = JSONPath(mismatch.path)
            let actual = value[field] ?? .null
            switch mismatch.kind {
            case .missing:
                let parentSchema = copy.validator.schema(at: field.parent.components, in: schema)
                let expected = parentSchema?["properties"][field.last.flatMap(Self.key) ?? ""] ?? .null
                let candidates = Self.renameCandidates(
                    for: field, in: value, declared: Set(parentSchema?["properties"].object?.keys.map { $0 } ?? []),
                    fitting: expected, validator: copy.validator)
                if let best = candidates.first {
                    found.append(
                        drift(
                            field.description, .requiredFieldMissing,
                            "found `\(best.name)` instead (same JSON type, \(best.value.typeName), and its value \(best.value) fits `\(field)`)",
                            rename: best.name))
                } else {
                    let siblings = value[field.parent]?.object?.keys.sorted() ?? []
                    found.append(
                        drift(field.description, .requiredFieldMissing, "the object has \(siblings.map { "`\($0)`" }.joined(separator: ", "))"))
                }
            case .wrongType(let expected) where actual == .null:
                found.append(drift(field.description, .nowNullable, "it is null but the consumer's copy says \(expected.joined(separator: " or "))"))
            case .wrongType(let expected):
                found.append(
                    drift(
                        field.description, .typeChanged,
                        "it should be \(expected.joined(separator: " or ")) but is \(actual.typeName) \(actual)"))
            case .notAnAllowedValue:
                found.append(drift(field.description, .enumValueUnknown, "the consumer's copy does not list the value \(actual)"))
            case .notInDocument, .other:
                continue
            }
        }
        return found
    }

    /// The fields the copy declares for an answer, as the consumer's reads: required as the copy says,
    /// typed as they came. What the contracts files, `who-reads` and `unread` list for a generated client.
    public func reads(_ method: HTTPRequest.Method, _ path: String, status: Int, body: JSON) -> [FieldRead] {
        guard let responses = copy.operation(method, path)?.responses,
            let schema = responses[String(status)] ?? responses["\(status / 100)XX"], schema != .null
        else { return [] }
        var reads: [String: FieldRead] = [:]
        walk(schema, value: body, path: JSONPath(), into: &reads, depth: 0)
        return reads.values.sorted()
    }

    private func walk(_ schema: JSON, value: JSON?, path: JSONPath, into reads: inout [String: FieldRead], depth: Int) {
        guard depth < 16, let schema = copy.validator.resolved(schema) else { return }
        if let items = schema["items"].object.map(JSON.object) {
            for element in value?.array ?? [] { walk(items, value: element, path: path.appending(.element), into: &reads, depth: depth + 1) }
            if value?.array?.isEmpty != false { walk(items, value: nil, path: path.appending(.element), into: &reads, depth: depth + 1) }
            return
        }
        let required = Set(schema["required"].array?.compactMap(\.string) ?? [])
        for (name, property) in schema["properties"].object ?? [:] {
            let member = value?[name]
            let field = path.appending(.key(name))
            let accepts = copy.validator.resolved(property)?["enum"].array?.compactMap(\.string)
            var read = FieldRead(
                path: field.description, required: required.contains(name), types: [member?.typeName ?? "absent"],
                accepts: accepts?.isEmpty == false ? accepts : nil, seen: [])
            if read.accepts != nil, let seen = member?.string { read.seen = [seen] }
            if reads[read.path] == nil { reads[read.path] = read } else { reads[read.path]!.merge(read) }
            walk(property, value: member, path: field, into: &reads, depth: depth + 1)
        }
    }

    /// Where the provider's own document breaks the copy: a route or status the copy has and the
    /// provider no longer does, a field the copy requires that the provider no longer declares (with the
    /// likely rename), a type changed, an enum value the copy does not list, a request field the provider
    /// now requires that the copy does not send.
    public func breakingChanges(in provider: APIDocument) -> [Drift] {
        var found: [Drift] = []
        for (route, responses) in copy.answers.elements.map({ ($0.route, $0.responses) })
        where !APIDocument.common.contains(where: { $0.route == route }) {
            func drift(_ field: String?, _ kind: DriftKind, _ detail: String, rename: String? = nil) -> Drift {
                Drift(
                    consumer: consumer, provider: self.provider, route: route.description, field: field, kind: kind,
                    detail: detail + " (the provider's document against the consumer's copy)", likelyRename: rename)
            }
            guard let theirs = provider.answers.elements.first(where: { $0.route == route }) else {
                found.append(drift(nil, .routeGone, "the provider's document no longer has the route"))
                continue
            }
            for (status, schema) in responses.sorted(by: { $0.key < $1.key }) {
                guard let their = theirs.responses[status] else {
                    guard status.hasPrefix("2") else { continue }
                    found.append(drift(nil, .statusChanged, "the provider no longer declares \(status)"))
                    continue
                }
                compare(schema, their, in: provider, path: JSONPath(), depth: 0) { field, kind, detail, rename in
                    found.append(drift(field, kind, detail, rename: rename))
                }
            }
            let ours = copy.requestSchema(route)
            let their = provider.requestSchema(route)
            let sent = Set(copy.validator.resolved(ours ?? .null)?["properties"].object?.keys.map { $0 } ?? [])
            for name in (provider.validator.resolved(their ?? .null)?["required"].array?.compactMap(\.string) ?? []).sorted()
            where !sent.contains(name) {
                found.append(drift(name, .newRequiredRequestField, "the provider now requires `\(name)`, which the consumer's copy does not send"))
            }
        }
        return found
    }

    private func compare(
        _ ours: JSON, _ theirs: JSON, in provider: APIDocument, path: JSONPath, depth: Int,
        _ report: (String, DriftKind, String, String?) -> Void
    ) {
        guard depth < 16, let ours = copy.validator.resolved(ours), let theirs = provider.validator.resolved(theirs) else { return }
        if let items = ours["items"].object, let theirItems = theirs["items"].object {
            compare(.object(items), .object(theirItems), in: provider, path: path.appending(.element), depth: depth + 1, report)
            return
        }
        let ourTypes = Self.types(ours)
        let theirTypes = Self.types(theirs)
        if !path.components.isEmpty, !ourTypes.isEmpty, !theirTypes.isEmpty, !theirTypes.isSubset(of: ourTypes.union(["integer"])) {
            if theirTypes.subtracting(ourTypes) == ["null"] {
                report(
                    path.description, .nowNullable,
                    "the provider may send null; the consumer's copy says \(ourTypes.sorted().joined(separator: " or "))", nil)
            } else {
                report(
                    path.description, .typeChanged,
                    "it was \(ourTypes.sorted().joined(separator: " or ")) and is \(theirTypes.sorted().joined(separator: " or "))", nil)
            }
            return
        }
        if let ourValues = ours["enum"].array, let theirValues = theirs["enum"].array {
            let added = theirValues.filter { !ourValues.contains($0) }
            if !added.isEmpty {
                report(
                    path.description, .enumValueUnknown,
                    "the provider may send \(added.map(\.description).joined(separator: ", ")), which the copy does not list", nil)
            }
        }
        let ourProperties = ours["properties"].object ?? [:]
        let theirProperties = theirs["properties"].object ?? [:]
        let required = Set(ours["required"].array?.compactMap(\.string) ?? [])
        let theirRequired = Set(theirs["required"].array?.compactMap(\.string) ?? [])
        for (name, property) in ourProperties.sorted(by: { $0.key < $1.key }) {
            let field = path.appending(.key(name))
            guard let their = theirProperties[name] else {
                let kind: DriftKind = required.contains(name) ? .requiredFieldMissing : .readButDefaulted
                let newcomers = theirProperties.keys.filter { ourProperties[$0] == nil }.sorted()
                let rename = newcomers.filter {
                    Self.types(provider.validator.resolved(theirProperties[$0]!) ?? [:]) == Self.types(copy.validator.resolved(property) ?? [:])
                }
                .max { Self.shared($0, name) < Self.shared($1, name) }
                report(
                    field.description, kind,
                    "the provider's document no longer declares it" + (rename.map { "; it declares `\($0)` of the same type" } ?? ""), rename)
                continue
            }
            if required.contains(name), !theirRequired.contains(name) {
                report(field.description, .requiredFieldMissing, "the consumer's copy requires it; the provider's document makes it optional", nil)
            }
            compare(property, their, in: provider, path: field, depth: depth + 1, report)
        }
    }

    static func types(_ schema: JSON) -> Set<String> {
        switch schema["type"] {
        case .string(let type): [type]
        case .array(let types): Set(types.compactMap(\.string))
        default: []
        }
    }

    static func key(_ component: JSONPath.Component) -> String? {
        if case .key(let key) = component { key } else { nil }
    }

    /// How many leading and trailing characters two names share: `csc_check` and `security_code_check` share `_check`.
    static func shared(_ a: String, _ b: String) -> Int {
        zip(a, b).prefix { $0 == $1 }.count + zip(a.reversed(), b.reversed()).prefix { $0 == $1 }.count
    }

    /// Members of the missing field's object that the copy does not declare and whose value fits the
    /// missing field's schema, the closest name first.
    static func renameCandidates(
        for field: JSONPath, in value: JSON, declared: Set<String>, fitting expected: JSON, validator: SchemaValidator
    ) -> [(name: String, value: JSON)] {
        guard let name = field.last.flatMap(key), let members = value[field.parent]?.object else { return [] }
        return members.filter { !declared.contains($0.key) && validator.mismatches($0.value, against: expected).isEmpty }
            .map { (name: $0.key, value: $0.value) }
            .sorted { shared($0.name, name) > shared($1.name, name) || (shared($0.name, name) == shared($1.name, name) && $0.name < $1.name) }
    }
}

extension APIDocument {
    /// The request body's schema of `route`, as the document declares it.
    func requestSchema(_ route: Route) -> JSON? {
        let schema = json["paths"][route.template][route.method.rawValue.lowercased()]["requestBody"]["content"]["application/json"]["schema"]
        return schema == .null ? nil : schema
    }
}

extension SchemaValidator {
    /// A schema with its `$ref` followed and its `allOf` parts merged; nil for one that is not an object.
    func resolved(_ schema: JSON, depth: Int = 0) -> JSON? {
        guard depth < 16, case .object(var rules) = schema else { return nil }
        if case .string(let reference)? = rules.removeValue(forKey: "$ref"), let target = references[reference],
            case .object(let resolved)? = resolved(target, depth: depth + 1)
        {
            rules.merge(resolved) { mine, _ in mine }
        }
        if case .array(let parts)? = rules.removeValue(forKey: "allOf") {
            for part in parts {
                guard case .object(let resolved)? = resolved(part, depth: depth + 1) else { continue }
                var properties = rules["properties"]?.object ?? [:]
                properties.merge(resolved["properties"]?.object ?? [:]) { mine, _ in mine }
                var required = rules["required"]?.array ?? []
                required += resolved["required"]?.array ?? []
                rules.merge(resolved) { mine, _ in mine }
                if !properties.isEmpty { rules["properties"] = .object(properties) }
                if !required.isEmpty { rules["required"] = .array(required) }
            }
        }
        return .object(rules)
    }

    /// The schema a value at `path` is checked against, walking properties and items; nil where none says.
    func schema(at path: [JSONPath.Component], in schema: JSON) -> JSON? {
        var current = resolved(schema)
        for component in path {
            switch component {
            case .key(let key): current = current?["properties"][key].object.map(JSON.object).flatMap { resolved($0) }
            case .index, .element: current = current?["items"].object.map(JSON.object).flatMap { resolved($0) }
            }
        }
        return current
    }
}
