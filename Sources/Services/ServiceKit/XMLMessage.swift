import HTTPTypes
import NIOCore

/// A flat XML message — `<Request><NewOrder><Amount>1000</Amount>…</NewOrder></Request>` — the shape
/// card processors' XML interfaces speak: a root, one message element, and leaf fields holding text.
///
/// Strict on purpose: anything else (attributes, nesting below the message, text outside a leaf, an
/// unknown entity) is a `XMLMessage.Malformed` naming what and where, as a processor refuses a request.
public struct XMLMessage: Sendable, Equatable {
    public var root: String
    public var message: String
    /// The leaf fields in document order; an empty element (`<Comments/>`) holds "".
    public var fields: [(name: String, value: String)]

    public init(root: String, message: String, fields: [(name: String, value: String)]) {
        (self.root, self.message, self.fields) = (root, message, fields)
    }

    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    public static func == (a: XMLMessage, b: XMLMessage) -> Bool {
        a.root == b.root && a.message == b.message && a.fields.elementsEqual(b.fields) { $0 == $1 }
    }

    public struct Malformed: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public func encoded() -> ByteBuffer {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(root)>\n  <\(message)>\n"
        for (name, value) in fields {
            text += value.isEmpty ? "    <\(name)/>\n" : "    <\(name)>\(Self.escape(value))</\(name)>\n"
        }
        text += "  </\(message)>\n</\(root)>\n"
        return ByteBuffer(string: text)
    }

    public init(parsing buffer: ByteBuffer) throws(Malformed) {
        var reader = Reader(text: Array(String(buffer: buffer).utf8))
        reader.skipSpace()
        if reader.peek("<?xml") {
            guard let end = reader.find("?>") else { throw Malformed(description: "the XML declaration is not closed") }
            reader.position = end + 2
        }
        let root = try reader.open()
        let message = try reader.open()
        var fields: [(String, String)] = []
        while true {
            reader.skipSpace()
            if reader.peek("</") {
                try reader.close(message)
                try reader.close(root)
                reader.skipSpace()
                guard reader.atEnd else { throw Malformed(description: "text after </\(root)>") }
                break
            }
            let (name, empty) = try reader.openLeaf()
            if empty {
                fields.append((name, ""))
                continue
            }
            let value = try reader.text(in: name)
            try reader.close(name)
            fields.append((name, value))
        }
        self.init(root: root, message: message, fields: fields)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    struct Reader {
        let text: [UInt8]
        var position = 0

        var atEnd: Bool { position >= text.count }

        mutating func skipSpace() {
            while position < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[position]) { position += 1 }
        }

        func peek(_ literal: String) -> Bool {
            let bytes = Array(literal.utf8)
            return position + bytes.count <= text.count && Array(text[position..<position + bytes.count]) == bytes
        }

        func find(_ literal: String) -> Int? {
            let bytes = Array(literal.utf8)
            guard text.count >= bytes.count else { return nil }
            return (position...(text.count - bytes.count)).first { Array(text[$0..<$0 + bytes.count]) == bytes }
        }

        mutating func name() throws(Malformed) -> String {
            let start = position
            while position < text.count, Self.isNameByte(text[position]) { position += 1 }
            guard position > start else { throw Malformed(description: "an element name was expected at byte \(start)") }
            return String(decoding: text[start..<position], as: UTF8.self)
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
        }

        /// `<Name>`, for the root and the message.
        mutating func open() throws(Malformed) -> String {
            skipSpace()
            guard peek("<"), !peek("</") else { throw Malformed(description: "an opening tag was expected at byte \(position)") }
            position += 1
            let name = try name()
            guard peek(">") else { throw Malformed(description: "<\(name)> has attributes or is not closed") }
            position += 1
            return name
        }

        /// `<Name>` or `<Name/>`.
        mutating func openLeaf() throws(Malformed) -> (String, empty: Bool) {
            guard peek("<") else { throw Malformed(description: "text outside a field at byte \(position)") }
            position += 1
            let name = try name()
            if peek("/>") {
                position += 2
                return (name, true)
            }
            guard peek(">") else { throw Malformed(description: "<\(name)> has attributes or is not closed") }
            position += 1
            return (name, false)
        }

        mutating func close(_ name: String) throws(Malformed) {
            skipSpace()
            guard peek("</\(name)>") else { throw Malformed(description: "<\(name)> is not closed by </\(name)>") }
            position += name.utf8.count + 3
        }

        mutating func text(in name: String) throws(Malformed) -> String {
            var out: [UInt8] = []
            while position < text.count, text[position] != UInt8(ascii: "<") {
                if text[position] == UInt8(ascii: "&") {
                    guard let end = text[position...].firstIndex(of: UInt8(ascii: ";")), end - position <= 6 else {
                        throw Malformed(description: "<\(name)> holds a bare &")
                    }
                    switch String(decoding: text[(position + 1)..<end], as: UTF8.self) {
                    case "amp": out.append(UInt8(ascii: "&"))
                    case "lt": out.append(UInt8(ascii: "<"))
                    case "gt": out.append(UInt8(ascii: ">"))
                    case "quot": out.append(UInt8(ascii: "\""))
                    case "apos": out.append(UInt8(ascii: "'"))
                    case let entity: throw Malformed(description: "<\(name)> holds an unknown entity &\(entity);")
                    }
                    position = end + 1
                } else {
                    out.append(text[position])
                    position += 1
                }
            }
            guard peek("</") else { throw Malformed(description: "<\(name)> holds an element, or is not closed") }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

extension HTTPField.Name {
    /// A card processor's retry logic (Orbital's): a merchant's number for one request, sent with the
    /// merchant id it belongs to, so a resend is answered from the first answer, not processed again.
    public static let traceNumber = HTTPField.Name("Trace-number")!
    public static let merchantID = HTTPField.Name("Merchant-ID")!
}
