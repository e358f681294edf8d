import Foundation
import Hummingbird

extension Response {
    /// A JSON response with its `Content-Type` and `Content-Length`, as every service answers.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONCoding.encoder.encode(value)) ?? Data("null".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json", .contentLength: String(data.count)],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
