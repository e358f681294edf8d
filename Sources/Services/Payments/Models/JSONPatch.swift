import ServiceKit

/// RFC 6902 JSON Patch over a resource's envelope (`/cards/0/meta/color`): add, remove, replace,
/// move, copy and test.
///
/// A malformed patch is a 400. A well-formed one that cannot be applied to the resource as it is now —
/// a path it lacks, the resource itself removed, a value its field refuses — is a 409 `patch-conflict`,
/// RFC 5789's "conflicting state" (a failed `test`, a 409 `patch-test-failed`): no schema of the patch
/// could have told the client, since it depends on the resource.
enum JSONPatch {
    /// A well-formed patch that the resource, as it is, cannot take.
    static func conflict(_ detail: String, extras: [String: JSON] = [:]) -> ServiceError {
        ServiceError(.conflict, "patch-conflict", detail, categoryType: "logical", extras: extras)
    }

    static func apply(_ patch: JSON, to document: JSON) throws -> JSON {
        guard let operations = patch.array else { throw ServiceError.invalidBody("A JSON Patch is an array of operations.") }
        var result = document
        for (index, operation) in operations.enumerated() {
            guard let op = operation["op"].string, let pointer = operation["path"].string else {
                throw ServiceError.invalidField("[\(index)]", "needs `op` and `path`")
            }
            let path = try parse(pointer, "[\(index)].path")
            do {
                switch op {
                case "add": try add(value(operation, index), at: path, in: &result)
                case "remove": try remove(at: path, in: &result)
                case "replace":
                    _ = try get(path, in: result)
                    try remove(at: path, in: &result)
                    try add(value(operation, index), at: path, in: &result)
                case "move", "copy":
                    guard let from = operation["from"].string else { throw ServiceError.invalidField("[\(index)].from", "is required") }
                    let source = try parse(from, "[\(index)].from")
                    let moved = try get(source, in: result)
                    if op == "move" { try remove(at: source, in: &result) }
                    try add(moved, at: path, in: &result)
                case "test":
                    let expected = try value(operation, index)
                    let actual = result[path]
                    guard actual == expected else {
                        throw ServiceError(
                            .conflict, "patch-test-failed",
                            "test failed at \(pointer): expected \(expected), found \(actual.map { "\($0)" } ?? "nothing").")
                    }
                default:
                    throw ServiceError.invalidField("[\(index)].op", "must be add, remove, replace, move, copy or test")
                }
            } catch let missing as JSONPathNotFound {
                throw conflict("[\(index)]: \(missing.description)")
            }
        }
        return result
    }

    static func value(_ operation: JSON, _ index: Int) throws(ServiceError) -> JSON {
        guard let value = operation.object?["value"] else { throw ServiceError.invalidField("[\(index)].value", "is required") }
        return value
    }

    static func parse(_ pointer: String, _ field: String) throws(ServiceError) -> JSONPath {
        guard let path = JSONPath(pointer: pointer) else { throw ServiceError.invalidField(field, "must start with /") }
        return path
    }

    static func get(_ path: JSONPath, in document: JSON) throws -> JSON {
        guard let value = document[path] else { throw JSONPathNotFound(path: path) }
        return value
    }

    /// Sets an object's member, or inserts into an array (`-` appends).
    static func add(_ value: JSON, at path: JSONPath, in document: inout JSON) throws {
        guard let last = path.last else {
            document = value
            return
        }
        try document.update(at: path.parent) { parent in
            switch (parent, last) {
            case (.object(var object)?, .key(let key)):
                object[key] = value
                parent = .object(object)
            case (.array(var array)?, .key(let token)):
                if token == "-" {
                    array.append(value)
                } else {
                    guard let index = Int(token), (0...array.count).contains(index) else { throw JSONPathNotFound(path: path) }
                    array.insert(value, at: index)
                }
                parent = .array(array)
            default:
                throw JSONPathNotFound(path: path)
            }
        }
    }

    static func remove(at path: JSONPath, in document: inout JSON) throws {
        guard !path.components.isEmpty else { throw conflict("The whole document cannot be removed.") }
        _ = try get(path, in: document)
        try document.update(at: path) { $0 = nil }
    }
}
