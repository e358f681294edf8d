import HTTPTypes
import HarnessContracts
import HarnessCore
import Tracing

extension StackService {
    /// ``StackService/respond(to:)`` inside a server span that continues the caller's trace, recorded by
    /// ``HarnessTracer/shared`` whatever instrument the process bootstrapped (or none): the calls the
    /// service makes while it answers run under that span, so the call tree links each hop to the
    /// request whose handler made it. The span is named as Hummingbird names one, by its route's path.
    func answer(_ request: ServiceRequest) async throws -> ServiceResponse {
        let tracer = HarnessTracer.shared
        var context = ServiceContext.topLevel
        tracer.extract(request.head.headerFields, into: &context, using: HTTPFieldsExtractor())
        let route = routes.route(for: request.head.method, request.path) { $0 }
        return try await tracer.withSpan(route?.template ?? request.path, context: context, ofKind: .server) { span in
            span.attributes["http.request.method"] = request.head.method.rawValue
            let response = try await respond(to: request)
            span.attributes["http.response.status_code"] = response.status.code
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
            return response
        }
    }
}

struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { fields[$0] }
    }
}
