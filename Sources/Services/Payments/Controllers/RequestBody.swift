import Foundation
import Hummingbird
import ServiceKit

extension Request {
    /// The fields of a resource as a client may send them: a JSON envelope (`{"cards": [{…}]}`), a flat
    /// JSON object, or a form with bracket keys (`address[postal_code]=94103`), as Balanced accepted.
    /// An empty body, or JSON `null` (what Balanced's test client sends for none), is no fields; anything
    /// else must be JSON, as payments' document says (a body of blanks is not). Unknown keys are left for
    /// the caller to ignore.
    func fields(_ plural: String, context: ServiceRequestContext) async throws -> [String: JSON] {
        let buffer = try await body(context: context, allowEmpty: true)
        if buffer.readableBytes == 0 { return [:] }
        let body: JSON
        if headers[.contentType]?.contains("application/x-www-form-urlencoded") == true {
            body = FormBody.parse(String(buffer: buffer).trimmingCharacters(in: .whitespacesAndNewlines))
        } else {
            do {
                body = try JSON(parsing: buffer)
            } catch {
                throw ServiceError.invalidBody("The request body is not valid JSON: \(error).")
            }
        }
        if body.isNull { return [:] }
        guard let object = body.object else { throw ServiceError.invalidBody("The request body must be an object.") }
        if let items = object[plural]?.array {
            guard items.count == 1, let resource = items[0].object else {
                throw ServiceError.invalidBody("`\(plural)` must hold exactly one object.")
            }
            return resource
        }
        return object
    }
}

/// `application/x-www-form-urlencoded` with bracket keys, to nested JSON of strings.
enum FormBody {
    static func parse(_ text: String) -> JSON {
        var root: JSON = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            let path = keyPath(key)
            guard !path.components.isEmpty else { continue }
            try? root.update(at: path, creating: true) { $0 = .string(value) }
        }
        return root
    }

    static func decode(_ part: Substring) -> String {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
    }

    /// `source[address][line1]` → `source.address.line1`.
    static func keyPath(_ key: String) -> JSONPath {
        guard let open = key.firstIndex(of: "[") else { return JSONPath([.key(key)]) }
        var keys = [String(key[..<open])]
        var rest = key[open...]
        while rest.first == "[", let close = rest.firstIndex(of: "]") {
            keys.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return JSONPath(keys.filter { !$0.isEmpty }.map { .key($0) })
    }
}
