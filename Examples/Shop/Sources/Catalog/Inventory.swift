/// The books the shop sells and how many copies of each are left: kept in memory, seeded at start.
public actor Inventory {
    public struct Book: Sendable {
        public var isbn: String
        public var title: String
        public var priceCents: Int
        public var inStock: Int

        public init(isbn: String, title: String, priceCents: Int, inStock: Int) {
            self.isbn = isbn
            self.title = title
            self.priceCents = priceCents
            self.inStock = inStock
        }
    }

    public enum Refusal: Error {
        case noSuchBook
        case notEnoughCopies(left: Int)
    }

    private var books: [String: Book]

    public init(_ books: [Book] = Inventory.opening) {
        self.books = Dictionary(uniqueKeysWithValues: books.map { ($0.isbn, $0) })
    }

    public static let opening = [
        Book(isbn: "9780262510875", title: "Structure and Interpretation of Computer Programs", priceCents: 5500, inStock: 3),
        Book(isbn: "9780201633610", title: "Design Patterns", priceCents: 4999, inStock: 1),
        Book(isbn: "9780131103627", title: "The C Programming Language", priceCents: 6000, inStock: 0),
    ]

    public func book(_ isbn: String) -> Book? { books[isbn] }

    /// Sets `copies` aside for an order.
    public func reserve(_ copies: Int, of isbn: String) throws(Refusal) -> Book {
        guard var book = books[isbn] else { throw .noSuchBook }
        guard book.inStock >= copies else { throw .notEnoughCopies(left: book.inStock) }
        book.inStock -= copies
        books[isbn] = book
        return book
    }

    /// Puts a delivery's copies in stock; nil for a book the shop does not sell.
    public func receive(_ copies: Int, of isbn: String) -> Book? {
        books[isbn]?.inStock += copies
        return books[isbn]
    }
}
