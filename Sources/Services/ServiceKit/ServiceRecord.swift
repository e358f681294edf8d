import Foundation
import GRDB

/// A GRDB record as every service stores one: times as integer microseconds.
///
/// Microseconds keep a timestamp exact through a round trip (GRDB's default text format keeps
/// milliseconds), and integers sort and compare in SQL as times should. Records spell their
/// snake_case column names in `CodingKeys`: converting key names on every row read cost more than
/// the rest of decoding a page of debits.
public protocol ServiceRecord: FetchableRecord, EncodableRecord {}

extension ServiceRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { $0.microsecondsSince1970 }
    }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { Int64.fromDatabaseValue($0).map(Date.init(microsecondsSince1970:)) }
    }
}
