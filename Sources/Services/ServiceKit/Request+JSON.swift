import Foundation
import HarnessContracts
import HarnessCore
import Hummingbird
import NIOFoundationCompat

extension Request {
    /// The body as JSON, or a 400 saying why it is not.
    public func json(context: ServiceRequestContext) async throws -> JSON {
        let buffer = try await body(context: context)
        do {
            return try JSON(parsing: buffer)
        } catch let error as JSONParseError {
            throw ServiceError.invalidBody("The request body is not valid JSON: \(error).")
        }
    }

    /// Decodes the body, turning every decoding failure into a 400 that names the field; the fields read
    /// are noted for a consumer that asked (`RequestReads`).
    public func decode<T: Decodable>(_ type: T.Type, context: ServiceRequestContext) async throws -> T {
        let json = try await self.json(context: context)
        do {
            return try (FieldNotes.handlingRequest ?? FieldNotes()).decode(T.self, from: json)
        } catch let error as DecodingError {
            throw ServiceError(decoding: error)
        }
    }

    /// The body, at most the context's upload size; empty is a 400 unless `allowEmpty`.
    public func body(context: ServiceRequestContext, allowEmpty: Bool = false) async throws -> ByteBuffer {
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw ServiceError(.contentTooLarge, "request-too-large", "The request body is larger than \(context.maxUploadSize) bytes.")
        }
        guard allowEmpty || buffer.readableBytes > 0 else {
            throw ServiceError.invalidBody("The request body must be a JSON object.")
        }
        return buffer
    }

    /// A query parameter as an integer within bounds (decimal digits, as `Int(digits:)` reads them), or a
    /// 400 naming it.
    public func queryInt(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = uri.queryParameters[name[...]] else { return value }
        guard let number = Int(digits: raw), range.contains(number) else {
            throw ServiceError.invalidField(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}

extension ServiceError {
    /// The field-level error for a body that does not decode.
    public init(decoding error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self = .invalidField(JSONPath(codingPath: context.codingPath + [key]).description, "is required")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = JSONPath(codingPath: context.codingPath)
            self =
                field.components.isEmpty
                ? ServiceError.invalidBody("The request body must be a JSON object.")
                : .invalidField(field.description, "must be \(JSON.describe(expected: type))")
        case .dataCorrupted(let context):
            let field = JSONPath(codingPath: context.codingPath)
            self =
                field.components.isEmpty
                ? ServiceError.invalidBody("The request body is not valid JSON.")
                : .invalidField(field.description, context.debugDescription)
        @unknown default:
            self = ServiceError.invalidBody("The request body could not be read.")
        }
    }
}
