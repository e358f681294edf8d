import GRDB
import Harness
import PaymentsSystem
import ServiceKit
import Testing

/// A service whose OpenAPI document no longer says what its code answers fails the acceptance run,
/// naming service, route and mismatch — shown here with fraud's own document, edited as a careless
/// change to it would be.
@Suite(.disabled(if: Modes.atStaging, Comment(rawValue: "replaces a service's document, which \(Modes.inProcessOnly)")))
struct DocumentDriftTests {
    /// A service served as it is, with another document.
    struct Redocumented: StackService {
        let base: any StackService
        let document: APIDocument?
        var name: ServiceName { base.name }
        var routes: [Route] { base.routes }
        var consumes: [PeerRoute] { base.consumes }
        var access: ServiceAccess { base.access }
        var database: (any DatabaseWriter)? { base.database }
        func respond(to request: ServiceRequest) async throws -> ServiceResponse { try await base.respond(to: request) }
    }

    /// The payments system with fraud's document passed through `edit`.
    func system(_ edit: @escaping @Sendable (inout JSON) -> Void) -> SystemUnderTest {
        SystemUnderTest(
            SystemUnderTest.payments.services.map { name, make in
                guard name == .fraud else { return (name, make) }
                return (
                    name,
                    { environment in
                        let fraud = try make(environment)
                        var json = try #require(fraud.document).json
                        edit(&json)
                        return Redocumented(base: fraud, document: try APIDocument(parsing: json))
                    }
                )
            })
    }

    func failure(_ system: SystemUnderTest) async throws -> String {
        do {
            try await withStack(system, .inMemory, configuration: .suite) { stack in
                let merchant = try await stack.openMarketplace()
                _ = try await merchant.payments.post("/debits", ["amount": 700, "source": TestCard.visa])
            }
        } catch {
            return "\(error)"
        }
        Issue.record("the stack passed although fraud's document drifted")
        return ""
    }

    @Test func namesAFieldTheDocumentNoLongerHas() async throws {
        let message = try await failure(
            system { json in
                var check = json["components"]["schemas"]["Check"].object ?? [:]
                check["properties"] = .object((check["properties"]?.object ?? [:]).filter { $0.key != "reasons" })
                check["required"] = .array((check["required"]?.array ?? []).filter { $0 != "reasons" })
                json = json.replacing(["components", "schemas", "Check"], with: .object(check))
            })
        #expect(message.contains("fraud POST /checks answered 201: $.reasons: is not in the document"), "\(message)")
    }

    @Test func namesAStatusTheDocumentDoesNotDeclare() async throws {
        let message = try await failure(
            system { json in
                let created = json["paths"]["/checks"]["post"]["responses"]["201"]
                var responses = json["paths"]["/checks"]["post"]["responses"].object ?? [:]
                responses["201"] = nil
                responses["200"] = created
                json = json.replacing(["paths", "/checks", "post", "responses"], with: .object(responses))
            })
        #expect(message.contains("fraud POST /checks answered 201: status 201 is not declared (the document declares 200, 4XX, 5XX)"), "\(message)")
    }

    @Test func namesAValueOutsideTheDocumentsEnum() async throws {
        let message = try await failure(
            system { json in
                json = json.replacing(["components", "schemas", "Check", "properties", "csc_check", "enum"], with: ["fail", "unavailable"])
            })
        #expect(message.contains(#"fraud POST /checks answered 201: $.csc_check: "pass" is not one of "fail", "unavailable""#), "\(message)")
    }
}

extension JSON {
    /// This value with the member at `path` (object keys) replaced.
    func replacing(_ path: [String], with value: JSON) -> JSON {
        guard let key = path.first else { return value }
        var object = self.object ?? [:]
        object[key] = (object[key] ?? .null).replacing(Array(path.dropFirst()), with: value)
        return .object(object)
    }
}
