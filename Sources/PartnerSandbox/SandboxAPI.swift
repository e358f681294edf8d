import ServiceKit

extension ProcessorSandbox {
    /// The sandbox's promises. `POST /authorize` speaks XML (see `OrbitalRequest`), so only its statuses
    /// are documented.
    public var apiDocument: APIDocument? { Self.document }

    static let document = APIDocument(
        title: "processor", summary: "A card processor's test environment, in Orbital's XML.",
        operations: [
            .init(
                .post, "/authorize", "One XML message: NewOrder, MarkForCapture or Reversal (Content-Type application/PTI81).",
                responses: ["200": nil, "4XX": nil]),
            .init(
                .get, "/journal", "Every request received, card number masked (`?order_id=`).",
                responses: ["200": .object(["entries": .array(Schema(["type": "object"]))])]),
        ],
        schemas: [:], errors: .balanced)
}
