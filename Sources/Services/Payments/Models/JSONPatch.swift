import ServiceKit

/// RFC 6902 JSON Patch over a resource's envelope (`/cards/0/meta/color`): add, remove, replace,
/// move, copy and test. A failed `test` is a 409 `patch-test-failed`; a malformed patch a 400.
enum JSONPatch {
    static func apply(_ patch: JSON, to document: JSON) throws(ServiceError) -> JSON {
        guard let operations = patch.array else { throw ServiceError.invalidBody("A JSON Patch is an array of operations.") }
        var result = document
        for (index, operation) in operations.enumerated() {
            guard let op = operation["op"].string, let path = operation["path"].string else {
                throw ServiceError.invalidField("[\(index)]", "needs `op` and `path`")
            }
            let pointer = try parse(path)
            switch op {
            case "add": result = try add(value(operation, index), at: pointer, in: result)
            case "remove": result = try remove(at: pointer, in: result)
            case "replace":
                _ = try get(pointer, in: result)
                result = try add(value(operation, index), at: pointer, in: try remove(at: pointer, in: result))
            case "move", "copy":
                guard let fromPath = operation["from"].string else { throw ServiceError.invalidField("[\(index)].from", "is required") }
                let from = try parse(fromPath)
                let moved = try get(from, in: result)
                if op == "move" { result = try remove(at: from, in: result) }
                result = try add(moved, at: pointer, in: result)
            case "test":
                let expected = try value(operation, index)
                let actual = try? get(pointer, in: result)
                guard actual == expected else {
                    throw ServiceError(.conflict, "patch-test-failed",
                                       "test failed at \(path): expected \(expected), found \(actual.map { "\($0)" } ?? "nothing").")
                }
            default:
                throw ServiceError.invalidField("[\(index)].op", "must be add, remove, replace, move, copy or test")
            }
        }
        return result
    }

    static func value(_ operation: JSON, _ index: Int) throws(ServiceError) -> JSON {
        guard let value = operation.object?["value"] else { throw ServiceError.invalidField("[\(index)].value", "is required") }
        return value
    }

    /// `/a/b~1c/0` → `["a", "b/c", "0"]`.
    static func parse(_ path: String) throws(ServiceError) -> [String] {
        guard !path.isEmpty else { return [] }
        guard path.hasPrefix("/") else { throw ServiceError.invalidField("path", "must start with /") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func notFound(_ pointer: [String]) -> ServiceError {
        ServiceError.invalidField("path", "/\(pointer.joined(separator: "/")) does not exist")
    }

    static func get(_ pointer: [String], in document: JSON) throws(ServiceError) -> JSON {
        var node = document
        for token in pointer {
            switch node {
            case .object(let object):
                guard let next = object[token] else { throw notFound(pointer) }
                node = next
            case .array(let array):
                guard let index = Int(token), array.indices.contains(index) else { throw notFound(pointer) }
                node = array[index]
            default: throw notFound(pointer)
            }
        }
        return node
    }

    static func add(_ value: JSON, at pointer: [String], in document: JSON) throws(ServiceError) -> JSON {
        guard let token = pointer.first else { return value }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var object):
            if rest.isEmpty { object[token] = value } else {
                guard let child = object[token] else { throw notFound(pointer) }
                object[token] = try add(value, at: rest, in: child)
            }
            return .object(object)
        case .array(var array):
            if rest.isEmpty {
                if token == "-" { array.append(value); return .array(array) }
                guard let index = Int(token), (0...array.count).contains(index) else { throw notFound(pointer) }
                array.insert(value, at: index)
            } else {
                guard let index = Int(token), array.indices.contains(index) else { throw notFound(pointer) }
                array[index] = try add(value, at: rest, in: array[index])
            }
            return .array(array)
        default:
            throw notFound(pointer)
        }
    }

    static func remove(at pointer: [String], in document: JSON) throws(ServiceError) -> JSON {
        guard let token = pointer.first else { throw ServiceError.invalidField("path", "cannot remove the whole document") }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var object):
            guard let child = object[token] else { throw notFound(pointer) }
            if rest.isEmpty { object.removeValue(forKey: token) } else { object[token] = try remove(at: rest, in: child) }
            return .object(object)
        case .array(var array):
            guard let index = Int(token), array.indices.contains(index) else { throw notFound(pointer) }
            if rest.isEmpty { array.remove(at: index) } else { array[index] = try remove(at: rest, in: array[index]) }
            return .array(array)
        default:
            throw notFound(pointer)
        }
    }
}
