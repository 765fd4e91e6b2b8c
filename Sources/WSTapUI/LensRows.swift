import NIOCore
import WSTapCore
import WSTapLenses

/// What the lenses read in the traffic on screen, by message: the UI joins each connection's data frames
/// into messages as they come (the frames it keeps anyway), reads them with a ``LensReader`` and keeps the
/// readings beside the rows, keyed by the sequence number of the message's first frame. It pairs a
/// request's row with its first answer's (and back), marks requests left unanswered, and counts the
/// numbers of the statistics view. Bounded: the readings of the newest ``capacity`` messages are kept.
struct LensRows: Sendable {
    /// What the lens read in one message.
    struct Row: Sendable {
        /// The lens's name.
        var lens: String
        /// Its views of the message (several when the message holds several packets).
        var views: [LensView]
        /// For an answer paired with its request: the time between them.
        var latencyNanoseconds: UInt64?
        /// For a request, its first answer's row; for an answer, its request's row.
        var partner: Int?
        /// A request that had no answer in time, or whose connection closed first.
        var unanswered = false
    }

    /// A request waiting for its answer, by connection, exchange id and the way the request went.
    private struct RequestKey: Hashable {
        var connection: UInt64
        var id: String
        var direction: TrafficDirection
    }

    /// A message whose FIN has not come yet: its first frame and the bytes so far.
    private struct Partial: Sendable {
        var firstSequence: Int
        var isText: Bool
        var bytes: [UInt8]
        var length: UInt64
        var frames: Int
        var isCut: Bool
    }

    /// How many messages' readings are kept.
    static let capacity = 200_000
    /// At most this much of a message is joined for its lens (the rest makes it "cut").
    static let maxMessageBytes = 1 << 20

    var reader: LensReader
    /// Whether anything is read: lenses on, or a lens chosen for a connection.
    private(set) var isActive: Bool
    private(set) var rows: [Int: Row] = [:]
    /// Keys of `rows`, oldest first (some may be gone).
    private var order: [Int] = []
    private var orderStart = 0
    private var requests: [RequestKey: Int] = [:]
    private var partial: [UInt64: Partial] = [:]
    /// The first message of a packet that continues in later messages (a Socket.IO binary event before its
    /// attachments, an MQTT packet split across messages), by connection and direction: the reading, when it
    /// comes, shows on that row too, and pairs from there.
    private var waiting: [UInt64: Int] = [:]
    /// The numbers of the lensed traffic, for the statistics view.
    private(set) var statistics = LensStatistics()
    /// Messages and bytes per second each way, for the statistics view's chart (every data message).
    private(set) var history = DirectionHistory()
    /// The slowest answers seen: latency, the request's row, the answer's row, the request's summary.
    private(set) var slowest: [SlowCall] = []
    static let slowestKept = 50
    /// The last time a frame said (both clocks), to tell the monotonic time of a clock tick.
    private var lastClock: TrafficTimestamp?
    /// Requests found unanswered and not yet told to the user (as notes).
    var unansweredNotes: [String] = []

    /// A call among the slowest.
    struct SlowCall: Sendable {
        var latencyNanoseconds: UInt64
        var request: Int?
        var answer: Int
        var lens: String
        var method: String
        var summary: String
    }

    init(choice: LensReader.Choice, answerTimeoutNanoseconds: UInt64 = 30_000_000_000) {
        reader = LensReader(choice: choice, tracker: CorrelationTracker(timeoutNanoseconds: answerTimeoutNanoseconds))
        isActive = choice.isOn
    }

    /// The reading of the message whose first frame is `sequence`, if a lens read it.
    func row(_ sequence: Int) -> Row? {
        rows.isEmpty ? nil : rows[sequence]
    }

    /// Chooses the lens of a connection from its next message (see ``LensReader/choose(_:for:automatic:)``).
    mutating func choose(_ lens: (any Lens)?, for connection: UInt64, automatic: Bool) {
        reader.choose(lens, for: connection, automatic: automatic)
        if lens != nil || automatic { isActive = true }
    }

    // MARK: Traffic

    mutating func opened(_ event: TrafficEvent) {
        guard isActive else { return }
        statistics.add(event)
        absorb(reader.read(event))
    }

    mutating func closed(_ event: TrafficEvent) {
        guard isActive else { return }
        if case .connectionClosed(let closed) = event {
            partial[key(closed.connection, .clientToServer)] = nil
            partial[key(closed.connection, .serverToClient)] = nil
        }
        statistics.add(event)
        absorb(reader.read(event))
    }

    private func key(_ connection: UInt64, _ direction: TrafficDirection) -> UInt64 {
        connection &<< 1 | (direction == .serverToClient ? 1 : 0)
    }

    /// Takes in a frame the list keeps as `sequence`: joins it into its message, and when the message is
    /// whole, reads it.
    mutating func add(_ frame: TrafficEvent.FrameSeen, row: FrameRow, sequence: Int) {
        lastClock = frame.at
        let isText: Bool
        if row.isHybi00 {
            guard row.flags.contains(.hybi00Text) || row.kindName == "binary" else { return }
            isText = row.flags.contains(.hybi00Text)
        } else {
            guard !row.opcode.isControl else { return }
            isText = row.opcode == .text
        }
        let key = key(frame.connection, frame.direction)
        let complete = row.flags.contains(.payloadComplete) && !row.flags.contains(.inflatedCut)
        if !row.isHybi00, row.opcode == .continuation {
            guard var message = partial.removeValue(forKey: key) else { return }
            message.length &+= row.payloadLength
            message.frames += 1
            if isActive { append(frame, complete: complete, to: &message) }
            if row.fin {
                finish(message, frame: frame)
            } else {
                partial[key] = message
            }
            return
        }
        var message = Partial(
            firstSequence: sequence, isText: isText, bytes: [], length: row.payloadLength, frames: 1, isCut: false)
        if isActive { append(frame, complete: complete, to: &message) }
        if row.isHybi00 || row.fin {
            partial[key] = nil
            finish(message, frame: frame)
        } else {
            if partial.count >= 4096 { partial = [:] }
            partial[key] = message
        }
    }

    private func append(_ frame: TrafficEvent.FrameSeen, complete: Bool, to message: inout Partial) {
        guard !message.isCut else { return }
        let payload = frame.readablePayload
        let room = Self.maxMessageBytes - message.bytes.count
        message.bytes.append(contentsOf: payload.readableBytesView.prefix(room))
        if payload.readableBytes > room || !complete { message.isCut = true }
    }

    private mutating func finish(_ message: Partial, frame: TrafficEvent.FrameSeen) {
        history.count(direction: frame.direction, bytes: message.length)
        guard isActive else { return }
        let seen = TrafficEvent.MessageSeen(
            connection: frame.connection, direction: frame.direction, isText: message.isText,
            payload: ByteBuffer(bytes: message.bytes), length: message.isCut ? nil : UInt64(message.bytes.count),
            isCut: message.isCut, frameCount: message.frames, wasCompressed: false, at: frame.at)
        let event = TrafficEvent.message(seen)
        statistics.add(event)
        let output = reader.read(event)
        let way = key(frame.connection, frame.direction)
        if output.readings.isEmpty {
            if reader.lensName(of: frame.connection) != nil, waiting[way] == nil {
                if waiting.count >= 4096 { waiting = [:] }
                waiting[way] = message.firstSequence
            }
            absorb(output)
            return
        }
        let first = waiting.removeValue(forKey: way) ?? message.firstSequence
        var views: [LensView] = []
        var row: Row?
        for reading in output.readings {
            statistics.add(reading, bytes: UInt64(message.bytes.count))
            views.append(reading.view)
            if row == nil { row = Row(lens: reading.lens, views: [], latencyNanoseconds: nil) }
            guard let correlation = reading.view.correlation else { continue }
            let own = RequestKey(connection: seen.connection, id: correlation.id, direction: seen.direction)
            switch correlation.role {
            case .request:
                requests[own] = first
            case .response:
                var asked = own
                asked.direction = seen.direction == .clientToServer ? .serverToClient : .clientToServer
                let request = requests[asked]
                if correlation.ends { requests[asked] = nil }
                if let request {
                    if row?.partner == nil { row?.partner = request }
                    if rows[request]?.partner == nil { rows[request]?.partner = first }
                }
                if let latency = reading.latencyNanoseconds {
                    if row?.latencyNanoseconds == nil { row?.latencyNanoseconds = latency }
                    noteSlow(
                        SlowCall(
                            latencyNanoseconds: latency, request: request, answer: first,
                            lens: reading.lens, method: reading.method,
                            summary: request.flatMap { rows[$0]?.views.first?.summary } ?? reading.view.summary))
                }
            case .event:
                if correlation.ends {
                    for way in TrafficDirection.allCases {
                        requests[RequestKey(connection: own.connection, id: own.id, direction: way)] = nil
                    }
                }
            }
        }
        if var row {
            row.views = views
            store(row, at: first)
            if first != message.firstSequence { store(row, at: message.firstSequence) }
        }
        absorb(output)
    }

    private mutating func noteSlow(_ call: SlowCall) {
        guard slowest.count < Self.slowestKept || call.latencyNanoseconds > (slowest.last?.latencyNanoseconds ?? 0)
        else { return }
        let index = slowest.firstIndex { $0.latencyNanoseconds < call.latencyNanoseconds } ?? slowest.endIndex
        slowest.insert(call, at: index)
        if slowest.count > Self.slowestKept { slowest.removeLast() }
    }

    private mutating func store(_ row: Row, at sequence: Int) {
        if rows.updateValue(row, forKey: sequence) == nil { order.append(sequence) }
        while rows.count > Self.capacity, orderStart < order.count {
            rows[order[orderStart]] = nil
            orderStart += 1
        }
        if orderStart > 4096, orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
        if requests.count > 100_000 { requests = [:] }
    }

    /// Marks the requests the reader found unanswered and keeps a note for each.
    private mutating func absorb(_ output: LensReader.Output) {
        for request in output.unanswered {
            statistics.add(unanswered: request)
            let key = RequestKey(connection: request.connection, id: request.id, direction: request.direction)
            if let sequence = requests.removeValue(forKey: key) { rows[sequence]?.unanswered = true }
            unansweredNotes.append(
                "connection \(request.connection): no answer to \(request.lens) \"\(request.summary)\"")
        }
    }

    // MARK: The clock

    /// The clock moved: requests whose time ran out are unanswered now, even on a silent connection.
    mutating func tick(wallSeconds: Double) {
        history.tick(wallSeconds: wallSeconds)
        guard isActive, let lastClock, wallSeconds > lastClock.wallSeconds else { return }
        let elapsed = UInt64((wallSeconds - lastClock.wallSeconds) * 1e9)
        let now = TrafficTimestamp(
            wallSeconds: wallSeconds, monotonicNanoseconds: lastClock.monotonicNanoseconds &+ elapsed)
        var output = LensReader.Output()
        output.unanswered = reader.expire(now: now)
        absorb(output)
    }
}
