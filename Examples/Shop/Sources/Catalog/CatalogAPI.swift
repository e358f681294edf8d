import Foundation
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Catalog's handlers: the protocol swift-openapi-generator made of openapi.json, implemented.
struct CatalogAPI: APIProtocol {
    let inventory: Inventory

    func getBook(_ input: Operations.GetBook.Input) async throws -> Operations.GetBook.Output {
        guard let book = await inventory.book(input.path.isbn) else {
            return .notFound(.init(body: .json(.init(title: "Not Found", status: 404, detail: "No book \(input.path.isbn)."))))
        }
        return .ok(.init(body: .json(Self.schema(book))))
    }

    func reserveCopies(_ input: Operations.ReserveCopies.Input) async throws -> Operations.ReserveCopies.Output {
        guard case .json(let reservation) = input.body else { preconditionFailure("the only content type the document declares") }
        guard reservation.copies >= 1 else { return .badRequest(.init(body: .json(Self.fewerThanOneCopy))) }
        do {
            let book = try await inventory.reserve(reservation.copies, of: input.path.isbn)
            return .created(.init(body: .json(Self.schema(book))))
        } catch Inventory.Refusal.noSuchBook {
            return .notFound(.init(body: .json(.init(title: "Not Found", status: 404, detail: "No book \(input.path.isbn)."))))
        } catch Inventory.Refusal.notEnoughCopies(let left) {
            return .conflict(.init(body: .json(.init(title: "Conflict", status: 409, detail: "Only \(left) left."))))
        }
    }

    func receiveDelivery(_ input: Operations.ReceiveDelivery.Input) async throws -> Operations.ReceiveDelivery.Output {
        guard case .json(let delivery) = input.body else { preconditionFailure("the only content type the document declares") }
        guard delivery.copies >= 1 else { return .badRequest(.init(body: .json(Self.fewerThanOneCopy))) }
        guard let book = await inventory.receive(delivery.copies, of: input.path.isbn) else {
            return .notFound(.init(body: .json(.init(title: "Not Found", status: 404, detail: "No book \(input.path.isbn)."))))
        }
        return .created(.init(body: .json(Self.schema(book))))
    }

    static let fewerThanOneCopy = Components.Schemas.Problem(title: "Bad Request", status: 400, detail: "copies must be at least 1")

    static func schema(_ book: Inventory.Book) -> Components.Schemas.Book {
        .init(isbn: book.isbn, title: book.title, priceCents: book.priceCents, inStock: book.inStock)
    }
}

/// Catalog's own request context: what its handlers and middleware see of a request.
public struct CatalogContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Catalog's routes, as its tests and its own `main` build them.
public func buildCatalogRouter(inventory: Inventory = Inventory()) throws -> Router<CatalogContext> {
    let router = Router(context: CatalogContext.self)
    router.get("/health") { _, _ in "ok" }
    try CatalogAPI(inventory: inventory).registerHandlers(on: router)
    return router
}

/// The document catalog's routes are generated from, as it publishes it.
public let catalogDocument: Data = {
    guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
        preconditionFailure("openapi.json is a resource of the target")
    }
    return data
}()
