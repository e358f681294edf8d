import Harness
import Testing

/// Releasing one service beside the versions its peers run: a change matters only where a consumer reads
/// it, a required read that is gone breaks (with its likely rename), an optional one only warns, and the
/// same document on both sides finds nothing.
@Suite struct ReleaseCompatibilityTests {
    static func fraud(_ check: String, reasons: Bool = false) -> APIDocument {
        let answer: Schema =
            reasons
            ? .object(["id": .string, "score": .integer, check: .oneOf("pass", "fail"), "reasons": .string])
            : .object(["id": .string, "score": .integer, check: .oneOf("pass", "fail")])
        return APIDocument(
            title: "fraud", summary: "Scores payments.", operations: [.init(.post, "/checks", "Scores one.", responses: ["201": answer])],
            schemas: [:])
    }

    static func reading(_ fields: [FieldRead]) -> Contract {
        Contract(consumer: "payments", provider: "fraud", interactions: [Contract.Interaction(route: "POST /checks", status: 201, fields: fields)])
    }

    static let cscRequired = FieldRead(path: "csc_check", required: true, types: ["string"], accepts: ["pass", "fail"], seen: [])
    static let scoreRequired = FieldRead(path: "score", required: true, types: ["number"], accepts: nil, seen: [])

    @Test func aRenamedFieldAConsumerNeedsBreaksItAndNamesTheRename() {
        let findings = ReleaseFinding.findings(
            Self.reading([Self.cscRequired, Self.scoreRequired]), tested: Self.fraud("csc_check"), meets: Self.fraud("security_code_check"))
        #expect(findings.count == 1)
        let finding = findings[0]
        #expect(finding.breaking)
        #expect(finding.drift.field == "csc_check")
        #expect(finding.drift.kind == .requiredFieldMissing)
        #expect(finding.drift.likelyRename == "security_code_check")
        #expect(finding.description.contains("`csc_check` (required)"))
    }

    @Test func aTolerantReaderOfBothNamesIsWarnedNotBroken() {
        let optional = FieldRead(path: "csc_check", required: false, types: ["string"], accepts: nil, seen: [])
        let renamed = FieldRead(path: "security_code_check", required: false, types: ["absent"], accepts: nil, seen: [])
        let findings = ReleaseFinding.findings(
            Self.reading([optional, renamed, Self.scoreRequired]), tested: Self.fraud("csc_check"), meets: Self.fraud("security_code_check"))
        #expect(findings.map(\.breaking) == [false])
        #expect(findings.first?.drift.kind == .readButDefaulted)
    }

    @Test func aChangeNoConsumerReadsIsNoFinding() {
        let findings = ReleaseFinding.findings(
            Self.reading([Self.scoreRequired]), tested: Self.fraud("csc_check"), meets: Self.fraud("security_code_check"))
        #expect(findings.isEmpty)
    }

    @Test func theSameDocumentOnBothSidesFindsNothing() {
        let document = Self.fraud("csc_check", reasons: true)
        #expect(ReleaseFinding.findings(Self.reading([Self.cscRequired, Self.scoreRequired]), tested: document, meets: document).isEmpty)
    }

    @Test func aRouteGoneBreaksItsCallers() {
        let gone = APIDocument(title: "fraud", summary: "Scores payments.", operations: [], schemas: [:])
        let findings = ReleaseFinding.findings(Self.reading([Self.scoreRequired]), tested: Self.fraud("csc_check"), meets: gone)
        #expect(findings.map(\.drift.kind) == [.routeGone])
        #expect(findings.allSatisfy { $0.breaking })
    }
}
