import HarnessCore

/// What changed between a consumer and its provider, as a value: tests, scripts and reports match on
/// `kind` (or its `code` in JSON), never on the sentence, which is rendered here and nowhere else.
public struct Drift: Sendable, Hashable, CustomStringConvertible {
    public var consumer: ServiceName
    public var provider: ServiceName
    /// The provider's route as declared (`POST /checks`).
    public var route: String
    /// The field that drifted (`csc_check`, `cards[0].brand`); nil for a whole route or status.
    public var field: String?
    public var kind: DriftKind
    /// What came instead, in the words of the case (`it was string and is now number`).
    public var detail: String
    /// The field a rename probably moved `field` to: same JSON type, and a value the consumer accepts.
    public var likelyRename: String?

    public init(
        consumer: ServiceName, provider: ServiceName, route: String, field: String?, kind: DriftKind,
        detail: String, likelyRename: String? = nil
    ) {
        self.consumer = consumer
        self.provider = provider
        self.route = route
        self.field = field
        self.kind = kind
        self.detail = detail
        self.likelyRename = likelyRename
    }

    /// `payments → fraud POST /checks `csc_check`: required field missing — …; likely rename of `csc_check` to `security_code_check``
    public var description: String {
        var text = "\(consumer) → \(provider) \(route)"
        if let field { text += " `\(field)`" }
        text += ": \(kind.summary) — \(detail)"
        if let likelyRename, let field {
            text += "; likely rename of `\(Self.leaf(field))` to `\(likelyRename)`"
        }
        return text
    }

    /// The same drift seen by another test: everything but the detail, which may quote a value.
    public var identity: String {
        "\(consumer)|\(provider)|\(route)|\(field ?? "")|\(kind.code)|\(likelyRename ?? "")"
    }

    public var json: JSON {
        var object: [String: JSON] = [
            "consumer": .string(consumer.rawValue), "provider": .string(provider.rawValue), "route": .string(route),
            "kind": .string(kind.code), "detail": .string(detail), "description": .string(description),
        ]
        object["field"] = field.map(JSON.string)
        object["likely_rename"] = likelyRename.map(JSON.string)
        return .object(object)
    }

    public init?(json: JSON) {
        guard let consumer = json["consumer"].string, let provider = json["provider"].string, let route = json["route"].string,
            let kind = json["kind"].string.flatMap(DriftKind.init(code:))
        else { return nil }
        self.init(
            consumer: ServiceName(consumer), provider: ServiceName(provider), route: route, field: json["field"].string,
            kind: kind, detail: json["detail"].string ?? "", likelyRename: json["likely_rename"].string)
    }

    static func leaf(_ path: String) -> String { String(path.split(separator: ".").last ?? Substring(path)) }
}

/// Every way a provider can break a consumer that the harness tells apart.
public enum DriftKind: String, Sendable, Hashable, CaseIterable {
    /// A field the consumer needs is missing from the answer.
    case requiredFieldMissing
    /// A field the consumer reads optionally used to come and no longer does: it silently took its default.
    case readButDefaulted
    case typeChanged
    /// A field that never came as null now does.
    case nowNullable
    /// An enum field carries a value the consumer does not know.
    case enumValueUnknown
    /// The provider answers a status the consumer never read from it.
    case statusChanged
    /// The provider no longer has the route (its router answers 404 or 405).
    case routeGone
    /// The answer is not JSON, or does not decode for a reason none of the above names.
    case bodyUnreadable
    /// A field the consumer sends that the provider used to read and reads no longer.
    case requestFieldNoLongerRead
    /// The provider refuses a request for want of a field it now requires and the consumer does not send.
    case newRequiredRequestField
    /// The provider refuses a field it took before.
    case requestFieldRefused

    /// Stable, for JSON and scripts: `required-field-missing`.
    public var code: String {
        rawValue.reduce(into: "") { code, character in
            if character.isUppercase { code += "-" + character.lowercased() } else { code.append(character) }
        }
    }

    public init?(code: String) {
        guard let kind = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = kind
    }

    /// For a person: `required field missing`.
    public var summary: String { code.replacingOccurrences(of: "-", with: " ") }
}
