import GRDB
import ServiceKit
import Testing

@testable import Payments

/// Balanced's list filters and sorts, read into SQL, and refused with the field named when they make no sense.
@Suite struct ListQueryTests {
    static let fields: [String: ListQuery.Kind] = ["amount": .integer, "description": .text, "created_at": .time]

    /// The amounts and descriptions the query selects from a small table, in its order.
    func select(_ parameters: [(key: String, value: String)]) throws -> [Int] {
        let query = try ListQuery(parameters, fields: Self.fields)
        let db = try DatabaseQueue()
        return try db.write { db in
            try db.execute(sql: "CREATE TABLE t (amount INTEGER, description TEXT, created_at INTEGER)")
            for (amount, description, created) in [(1, "gift_a", 1_000_000), (2, "50% off", 2_000_000), (3, "rent", 3_000_000)] {
                try db.execute(sql: "INSERT INTO t VALUES (?, ?, ?)", arguments: [amount, description, created])
            }
            let ordering = query.ordering + [Column("created_at").desc]
            return try Int.fetchAll(db, Table("t").select(Column("amount")).filter(query.filter).order(ordering))
        }
    }

    @Test func readsEveryOperator() throws {
        #expect(try select([]) == [3, 2, 1])
        #expect(try ListQuery([("limit", "2"), ("offset", "0")], fields: Self.fields).isPlain)
        #expect(try select([("amount", "2")]) == [2])
        #expect(try select([("amount", "1,3")]) == [3, 1])
        #expect(try select([("amount[<]", "3")]) == [2, 1])
        #expect(try select([("amount[>=]", "2"), ("sort", "amount,asc")]) == [2, 3])
        #expect(try select([("description[startswith]", "gift")]) == [1])
        #expect(try select([("description[endswith]", "off")]) == [2])
        #expect(try select([("description[contains]", "%")]) == [2], "% is a character, not a wildcard")
        #expect(try select([("description[contains]", "_")]) == [1], "_ is a character, not a wildcard")
        #expect(try select([("description[!contains]", "t")]) == [2], "\"rent\" and \"gift_a\" hold a t")
        #expect(try select([("created_at[>]", "1970-01-01T00:00:01.500000Z")]) == [3, 2])
        #expect(try select([("created_at[<]", "1970-01-01T00:00:02Z")]) == [1])
        #expect(try !ListQuery([("sort", "amount,desc")], fields: Self.fields).isPlain)
    }

    @Test func filtersOnAKeyOfMeta() throws {
        func select(_ parameters: [(key: String, value: String)]) throws -> [Int] {
            let query = try ListQuery(parameters, fields: Self.fields, meta: true)
            return try DatabaseQueue().write { db in
                try db.execute(sql: "CREATE TABLE t (amount INTEGER, meta TEXT)")
                for (amount, meta) in [(1, #"{"tag":"gift"}"#), (2, #"{"tag":"rent","order.status":"open"}"#), (3, "{}")] {
                    try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [amount, meta])
                }
                return try Int.fetchAll(db, Table("t").select(Column("amount")).filter(query.filter).order(Column("amount")))
            }
        }
        #expect(try select([("meta.tag", "gift")]) == [1])
        #expect(try select([("meta.tag", "gift,rent")]) == [1, 2])
        #expect(try select([("meta.order.status", "open")]) == [2], "a key with a dot in it, as Balanced's own tests use")
        #expect(try select([("meta.tag[startswith]", "re")]) == [2])
        #expect(try select([("meta.tag[!=]", "gift")]) == [2], "a resource without the key is not selected by a comparison")
        #expect { try ListQuery([("meta.", "x")], fields: Self.fields, meta: true) } throws: { error in
            (error as? ServiceError)?.detail.hasPrefix("meta.: names no key") == true
        }
        #expect { try ListQuery([("meta.tag", "x")], fields: Self.fields) } throws: { error in
            (error as? ServiceError)?.detail.hasPrefix("meta.tag: cannot be filtered on") == true
        }
    }

    @Test(arguments: [
        ("colour", "red", "colour: cannot be filtered on"), ("amount[~]", "1", "amount[~]: has an unknown operator"),
        ("amount", "lots", "amount: must be a whole number"), ("created_at[>]", "yesterday", "created_at[>]: must be an ISO 8601 time"),
        ("amount[contains]", "1", "amount[contains]: contains applies to text fields only"), ("sort", "amount", "sort: must be FIELD,asc"),
        ("sort", "colour,asc", "sort: must be FIELD,asc"), ("sort", "amount,up", "sort: must be FIELD,asc"),
    ])
    func refusesWhatItCannotRead(key: String, value: String, problem: String) {
        #expect { try ListQuery([(key, value)], fields: Self.fields) } throws: { error in
            (error as? ServiceError)?.detail.hasPrefix(problem) == true && (error as? ServiceError)?.status == .badRequest
        }
    }
}
