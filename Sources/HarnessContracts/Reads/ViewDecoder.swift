import Foundation

/// Decodes a consumer's own view of a provider's body from parsed JSON, noting each field the view reads.
///
/// This is where a consumer's contract shows: every key its `Decodable` view asks for, whether it
/// asks with `decode` (required) or `decodeIfPresent` (optional, defaulted when absent), the JSON type
/// that came, and for a `CaseIterable` enum the values it accepts and the value it saw.
struct ViewDecoder: Decoder {
    let value: JSON
    let codingPath: [any CodingKey]
    /// Where `value` is, as contracts name fields: `debits[]`, `links.customer`.
    let path: String
    let notes: FieldNotes
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(_ type: T.Type, from json: JSON, notes: FieldNotes = FieldNotes()) throws -> T {
        try T(from: ViewDecoder(value: json, codingPath: [], path: "", notes: notes))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch([String: Any].self, codingPath, value) }
        return KeyedDecodingContainer(Keyed(object: object, codingPath: codingPath, path: path, notes: notes))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else { throw mismatch([Any].self, codingPath, value) }
        return Unkeyed(array: array, codingPath: codingPath, elementPath: path + "[]", notes: notes)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let object: [String: JSON]
        let codingPath: [any CodingKey]
        let path: String
        let notes: FieldNotes

        var allKeys: [Key] { object.keys.compactMap(Key.init(stringValue:)) }
        func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

        func field(_ key: Key) -> String { path.isEmpty ? key.stringValue : path + "." + key.stringValue }

        func child(_ key: Key, _ value: JSON) -> ViewDecoder {
            ViewDecoder(value: value, codingPath: codingPath + [key], path: field(key), notes: notes)
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            let value = object[key.stringValue]
            notes.note(field(key), value, required: false, accepts: nil)
            return value == nil || value == .null
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let value = object[key.stringValue]
            notes.note(field(key), value, required: true, as: T.self)
            guard let value else { throw missing(key) }
            return try T(from: child(key, value))
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            let value = object[key.stringValue]
            notes.note(field(key), value, required: false, as: T.self)
            guard let value, value != .null else { return nil }
            return try T(from: child(key, value))
        }

        // Primitives are read in place, without a decoder of their own: most fields a view reads are these.
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(key, required: true, \.bool)! }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(key, required: true, \.string)! }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(key, required: true, \.number)! }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(key, required: true, \.int)! }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
            try scalar(key, required: true) { $0.number.flatMap(Int64.init(exactly:)) }!
        }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try scalar(key, required: false, \.bool) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try scalar(key, required: false, \.string) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try scalar(key, required: false, \.number) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try scalar(key, required: false, \.int) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
            try scalar(key, required: false) { $0.number.flatMap(Int64.init(exactly:)) }
        }

        /// A primitive field: `nil` only when optional and absent or null; the same errors a
        /// `SingleValueDecodingContainer` throws otherwise.
        func scalar<T>(_ key: Key, required: Bool, _ read: (JSON) -> T?) throws -> T? {
            let value = object[key.stringValue]
            notes.note(field(key), value, required: required, accepts: nil)
            guard let value else {
                if required { throw missing(key) }
                return nil
            }
            if let read = read(value) { return read }
            if !required, value == .null { return nil }
            throw mismatch(T.self, codingPath + [key], value)
        }

        func missing(_ key: Key) -> DecodingError {
            .keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value for \(key.stringValue)"))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try child(key, try value(key)).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try child(key, try value(key)).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { ViewDecoder(value: .object(object), codingPath: codingPath, path: path, notes: notes) }
        func superDecoder(forKey key: Key) throws -> any Decoder { child(key, object[key.stringValue] ?? .null) }

        func value(_ key: Key) throws -> JSON {
            notes.note(field(key), object[key.stringValue], required: true, as: [String: JSON].self)
            guard let value = object[key.stringValue] else { throw missing(key) }
            return value
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let array: [JSON]
        let codingPath: [any CodingKey]
        /// Every element's path: `debits[]`.
        let elementPath: String
        let notes: FieldNotes
        var currentIndex = 0

        var count: Int? { array.count }
        var isAtEnd: Bool { currentIndex >= array.count }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, array[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    T.self, .init(codingPath: codingPath + [Index(currentIndex)], debugDescription: "Unkeyed container is at end."))
            }
            defer { currentIndex += 1 }
            return try T(from: element())
        }

        func element() -> ViewDecoder {
            ViewDecoder(value: array[currentIndex], codingPath: codingPath + [Index(currentIndex)], path: elementPath, notes: notes)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            defer { currentIndex += 1 }
            return try element().container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            defer { currentIndex += 1 }
            return try element().unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder {
            defer { currentIndex += 1 }
            return element()
        }
    }

    struct Single: SingleValueDecodingContainer {
        let value: JSON
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool { value == .null }
        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let bool) = value else { throw mismatch(type, codingPath, value) }
            return bool
        }
        func decode(_ type: String.Type) throws -> String {
            guard case .string(let string) = value else { throw mismatch(type, codingPath, value) }
            return string
        }
        func decode(_ type: Double.Type) throws -> Double {
            guard case .number(let number) = value else { throw mismatch(type, codingPath, value) }
            return number
        }
        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
        func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try T(from: ViewDecoder(value: value, codingPath: codingPath, path: "", notes: FieldNotes()))
        }

        func integer<T: BinaryInteger>(_ type: T.Type) throws -> T {
            guard case .number(let number) = value, let exact = T(exactly: number) else { throw mismatch(type, codingPath, value) }
            return exact
        }
    }

    /// A primitive decoded through its own `init(from:)`, so primitives are noted like any other field.
    struct Wrapped<Value: Decodable>: Decodable {
        let value: Value
        init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Value.self) }
    }

    struct Index: CodingKey {
        let intValue: Int?
        let stringValue: String
        init(_ index: Int) {
            intValue = index
            stringValue = "Index \(index)"
        }
        init?(intValue: Int) { self.init(intValue) }
        init?(stringValue: String) { nil }
    }
}

func mismatch(_ type: Any.Type, _ codingPath: [any CodingKey], _ value: JSON) -> DecodingError {
    value == .null
        ? .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Expected \(type) value but found null instead."))
        : .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(value.typeName) instead."))
}
