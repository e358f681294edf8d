import Harness
import Synchronization
import Vapor

/// Vapor's JSON decoder, noting what each `Content` type reads of a peer's answer or of a request.
///
/// `ContentConfiguration.global` is one for the process, and parallel stacks decode through it at
/// once, so a read is attributed by what it decodes: a response of the stack's `Client` and a request a
/// peer asked to hear about carry a token (`Harness-Read`) naming their hop, and only their decodes are
/// noted. Anything else decodes as Vapor's own decoder does. The value returned is always Vapor's
/// decoder's; the reads are noted beside it, and an answer Vapor cannot decode is diagnosed as drift.
struct ReadingDecoder: ContentDecoder {
    let base: any ContentDecoder

    /// Wraps the JSON decoder configured now (after the app's `configure`, which may set its own).
    static func install() {
        installing.withLock { _ in
            guard let current = try? ContentConfiguration.global.requireDecoder(for: .json), !(current is ReadingDecoder) else { return }
            ContentConfiguration.global.use(decoder: ReadingDecoder(base: current), for: .json)
        }
    }

    private static let installing = Mutex(())

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(D.self, from: body, headers: headers) { try base.decode(D.self, from: body, headers: headers) }
    }

    func decode<D: Decodable>(
        _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: any Sendable]
    ) throws -> D {
        try decode(D.self, from: body, headers: headers) { try base.decode(D.self, from: body, headers: headers, userInfo: userInfo) }
    }

    private func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, as vapor: () throws -> D) throws -> D {
        guard let token = headers.first(name: Readings.header), let reading = Readings.reading(token) else { return try vapor() }
        switch reading {
        case .request(let notes):
            let value = try vapor()
            if let json = try? JSON(parsing: body) { _ = try? notes.decode(D.self, from: json) }
            return value
        case .answer(let read):
            return try read.decode(D.self, from: body, as: vapor)
        }
    }
}

/// A successful answer of a peer, as the consumer's `Client` got it.
struct AnswerRead: Sendable {
    let consumer: ServiceName
    let provider: ServiceName
    let route: String
    let status: Int
    let request: ServiceRequest
    let requestRead: [FieldRead]?
    let observer: any ReadObserver

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, as vapor: () throws -> D) throws -> D {
        let value: D
        do {
            value = try vapor()
        } catch {
            do {
                _ = try ContractViolation.decode(D.self, from: body, consumer: consumer, provider: provider, route: route)
            } catch let violation {
                // Drift, told to the stack; the handler answers 502 naming it, as any consumer does.
                observer.drifted(violation.drift)
                throw Abort(.badGateway, reason: violation.description)
            }
            throw error
        }
        let notes = FieldNotes()
        var answer = JSON.null
        _ = try? ContractViolation.decode(D.self, from: body, consumer: consumer, provider: provider, route: route, notes: notes) { answer = $0 }
        var read = ObservedRead(
            consumer: consumer, provider: provider, route: route, status: status, fields: notes.reads.values.sorted(), body: answer)
        read.view = String(describing: D.self)
        read.note(request)
        read.requestRead = requestRead
        observer.observed(read)
        return value
    }
}

/// The hops whose decoding is noted, each under the token its request or response carries.
///
/// One table for the process (the decoder is one), each host keeping track of its own: a request's
/// entry goes when its answer is sent, an answer's when the stack goes, or, for a long-served stack,
/// once 1,024 newer answers came (an answer is decoded when it comes, not a thousand calls later).
final class Readings: Sendable {
    enum Reading: Sendable {
        case request(FieldNotes)
        case answer(AnswerRead)
    }

    static let header = "Harness-Read"
    private static let table = Mutex<[String: Reading]>([:])
    private static let counter = Atomic<UInt64>(0)
    private let answers = Mutex<[String]>([])

    static func reading(_ token: String) -> Reading? { table.withLock { $0[token] } }

    func add(_ reading: Reading) -> String {
        let token = "\(Self.counter.add(1, ordering: .relaxed).newValue)"
        Self.table.withLock { $0[token] = reading }
        guard case .answer = reading else { return token }
        let dropped = answers.withLock { answers -> String? in
            answers.append(token)
            return answers.count > 1024 ? answers.removeFirst() : nil
        }
        if let dropped { remove(dropped) }
        return token
    }

    func remove(_ token: String) {
        _ = Self.table.withLock { $0.removeValue(forKey: token) }
    }

    func removeAll() {
        let tokens = answers.withLock { answers in
            defer { answers = [] }
            return answers
        }
        Self.table.withLock { table in tokens.forEach { table.removeValue(forKey: $0) } }
    }
}
