import HarnessContracts
import HarnessCore

/// Signs every call a service makes with the deployment's key: the caller's credential for the callee,
/// for the tenant the call carries in `X-Tenant`. The last middleware before the wire, so a hop a test
/// rewrote is signed as it is sent; a call from outside the stack (`caller` nil) goes unsigned.
public struct ServiceSigning: TransportMiddleware {
    let identity: ServiceIdentity

    public init(_ identity: ServiceIdentity) {
        self.identity = identity
    }

    public func handle(
        _ request: ServiceRequest,
        next: @Sendable (ServiceRequest) async throws -> ServiceResponse
    ) async throws -> ServiceResponse {
        guard let caller = request.caller, request.head.headerFields[.serviceCredential] == nil else { return try await next(request) }
        var signed = request
        identity.sign(&signed.head, from: caller, to: request.callee)
        return try await next(signed)
    }
}
