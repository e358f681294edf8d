import Foundation
import Hummingbird

extension Response {
    /// A JSON response with its `Content-Type` and `Content-Length`, as every service answers.
    public static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        let body = value.encoded()
        return Response(
            status: status,
            headers: [.contentType: "application/json", .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body))
    }
}
