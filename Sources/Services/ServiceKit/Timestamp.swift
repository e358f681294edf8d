import Foundation

extension Date {
    /// ISO 8601 in UTC with microseconds (`2014-12-16T20:44:41.747617Z`), as Balanced's API writes times.
    public var iso8601: String {
        let seconds = timeIntervalSince1970.rounded(.down)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let micros = min(999_999, Int(((timeIntervalSince1970 - seconds) * 1_000_000).rounded()))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }
}

extension Date {
    public init(microsecondsSince1970 micros: Int64) {
        self.init(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    public var microsecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
}
