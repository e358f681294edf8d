import HarnessContracts

extension ErrorEnvelope {
    /// Balanced's error envelope, which every ServiceKit service answers a 4xx or 5xx with (`Reply`):
    /// `errors`, and any resource the error carries (a declined debit); each request's id is `OHM…`.
    public static let balanced = ErrorEnvelope(schemas: balancedSchemas, response: .ref("Errors"))

    static let balancedSchemas: [String: Schema] = [
        "Error": .object([
            "status": .string, "status_code": .integer, "category_code": .string, "category_type": .string, "description": .string,
            "request_id": Schema(["type": "string", "pattern": "^OHM[0-9A-Za-z]{24}$"]), "extras": Schema(["type": "object"]),
        ]),
        "Errors": .object(["errors": Schema(["type": "array", "items": Schema.ref("Error").json, "minItems": 1])], open: true),
    ]
}
