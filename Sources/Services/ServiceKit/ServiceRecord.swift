import Foundation
import GRDB

/// A GRDB record as every service stores one: snake_case columns, times as integer microseconds.
///
/// Microseconds keep a timestamp exact through a round trip (GRDB's default text format keeps
/// milliseconds), and integers sort and compare in SQL as times should.
public protocol ServiceRecord: FetchableRecord, EncodableRecord {}

extension ServiceRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { $0.microsecondsSince1970 }
    }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { Int64.fromDatabaseValue($0).map(Date.init(microsecondsSince1970:)) }
    }
}
