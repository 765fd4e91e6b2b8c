public import WSTapCore
import WSTapInspect
public import WSTapLenses

/// Everything the UI shows, changed only by ``reduce(_:_:)`` and drawn by ``render(_:into:)``.
///
/// Frames are kept as compact rows with a capped payload preview in a bounded ring, and the most recent
/// frames in full for the detail pane; drawing looks only at the rows on screen, so it costs the same
/// whether the session holds ten frames or a million.
public struct UIState: Sendable {
    // MARK: The session

    /// What the UI is watching: a reverse or forward proxy, a client connection, a server or a recording
    /// (it decides what the header shows and which keys apply).
    public var mode: SessionMode
    /// Where the proxy or server listens (empty when it does not).
    public var listenAddress: String
    /// The upstream URL (proxy), the server's URL (client) or the CA folder (forward proxy); empty when
    /// there is none.
    public var upstream: String
    /// Added to UTC for the times shown (the glue passes the local offset; tests keep 0).
    public var utcOffsetSeconds: Int
    /// The framing hybi-00 connections start in.
    public var defaultFraming: Hybi00Framing
    /// The screen's size, as of the last resize event.
    public internal(set) var size: ScreenSize

    // MARK: Traffic

    var frames: FrameStore
    var messages: MessageStore
    var recent: RecentFrames
    /// What the lenses read in the messages, the pairs of requests and answers, and the statistics.
    var lenses: LensRows
    /// Every connection seen, by id (the oldest dropped past 10,000).
    public internal(set) var connections: [UInt64: ConnectionSummary] = [:]
    /// Connection ids, oldest first (bounded).
    var connectionOrder: [UInt64] = []
    static let maxConnections = 10_000
    /// Frames held by intercept, oldest first: hold id and the frame's sequence number.
    var heldFrames: [(holdID: UInt64, sequence: Int)] = []
    /// The row each hold id arrived on, until the proxy says what became of it (the queue lets a frame go
    /// when the user decides, before that); bounded.
    var heldRows: [UInt64: Int] = [:]
    static let maxHeldRows = 100_000
    var rates = RateHistory()
    /// Wire bytes seen in all frames, both ways.
    public internal(set) var totalBytes: UInt64 = 0
    /// Errors and notes from the proxy, newest last (bounded).
    var notes: [String] = []

    // MARK: What the list shows

    /// The filter in force.
    public internal(set) var filter: FrameFilter?
    /// Whether the list shows messages (a row per message, keyed by its first frame's sequence number)
    /// instead of frames.
    public internal(set) var showsMessages = false
    /// With a filter or in the message view: the sequence numbers of the rows the list shows (ascending;
    /// entries before `filteredStart` are gone from the store).
    var filtered: [Int] = []
    var filteredStart = 0
    /// The frame the cursor is on.
    public internal(set) var selected: Int?
    /// The frame in the list's first row.
    var topSequence = 0
    /// Whether the cursor stays on the newest frame.
    public internal(set) var following = true
    /// When paused: the frames after this sequence number are kept but not shown.
    public internal(set) var pausedAt: Int?
    /// The last search as typed (`re:` before a regular expression); matching ignores case.
    public internal(set) var search: String?
    /// How many rows one key press of a regular-expression search looks at (about half a second's work).
    var regexSearchBudget = 100_000
    /// Whether `/`, `n` and `N` search the recording on disk (every frame's whole payload) through
    /// ``UIEffect/searchRecording(_:)`` instead of the payloads held in memory: the viewer sets it.
    public var searchesRecording = false
    /// The id of the last search of the recording asked for: only its reports are heard.
    var recordingSearchID = 0
    /// Whether that search still runs.
    public internal(set) var recordingSearchRunning = false

    // MARK: Panes and toggles

    /// Whether the detail pane of the selected frame is open.
    public internal(set) var detailOpen = false
    /// Whether keys go to the detail pane (scrolling) rather than the list.
    public internal(set) var detailFocused = false
    var detailScroll = 0
    /// How the detail pane shows payloads: chosen by content, as text, as JSON or as a hex dump.
    public internal(set) var payloadView: PayloadView = .auto
    /// Whether the detail pane also shows the frame's wire bytes.
    public internal(set) var showWireBytes = true
    /// Whether the list and the detail pane show what the lenses read (off: the raw payloads only).
    public internal(set) var showsLens = true
    /// The statistics view: how its method table is sorted, and whether it lists the slowest calls instead.
    public internal(set) var statisticsSort: StatisticsSort = .count
    /// Whether the statistics view lists the slowest calls instead of the methods (`t`).
    public internal(set) var statisticsShowsSlowest = false
    /// The screen drawn over the list (help, connections, intercept queue), if one is open.
    public internal(set) var overlay: Overlay?
    var overlaySelection = 0
    /// The opening handshake of each connection seen (for the handshake view), dropped with the connection.
    var handshakes: [UInt64: TrafficEvent.ConnectionOpened] = [:]
    /// How far the handshake view is scrolled, and whether Esc goes back to the connections list.
    var handshakeScroll = 0
    var handshakeReturnsToConnections = false
    /// The repeater's tabs (`y`).
    public internal(set) var repeaterTabs: [RepeaterTab] = []
    /// The repeater tab shown.
    public internal(set) var repeaterTab = 0
    /// How far the repeater's sends are scrolled.
    var repeaterScroll = 0
    /// The line being typed at the bottom (search, filter, recording path, message), if any.
    public internal(set) var prompt: Prompt?
    /// Whether intercept is on (the proxy holds frames for a decision).
    public internal(set) var intercept = false
    /// The file being recorded to, if recording is on.
    public internal(set) var recordingPath: String?
    /// Whether the recording is behind the traffic (the sources stopped reading until it catches up).
    public internal(set) var recordingBehind = false
    /// A one-line message in the hint bar until the next key.
    public internal(set) var notice: String?
    var now: Double = 0
    /// The last keepalive round-trip time of the client connection (client mode with `--ping-interval`).
    public internal(set) var roundTripTime: Duration?
    /// Masking keys for the frames the UI builds itself (the `s` prompt); the glue seeds it at random.
    public var maskingKeys = MaskingKeySequence(seed: 0x5753_5441_5020_5549)

    // MARK: Composer

    /// The frame being handcrafted, while the composer is open.
    public internal(set) var composer: ComposerForm?
    /// Frames the composer sent, newest first (bounded).
    public internal(set) var craftedFrames: [CraftedFrame] = []
    /// Frames the composer asked the glue to send, oldest first, until it says whether they went
    /// (``UIEvent/sendResult(_:error:)``); bounded.
    var pendingCrafted: [(effect: UIEffect, frame: CraftedFrame)] = []
    /// Where the composer's random masking keys come from.
    var random: SeededRandomNumberGenerator
    /// The frames Enter would send now (or why there are none), built when the form changes, not per redraw.
    var composerPreview: Result<[[UInt8]], InputError>?

    /// - Parameters:
    ///   - frameCapacity: how many frames the list keeps (the oldest go first).
    ///   - recentFrames: how many of the newest frames are kept as captured (wire bytes, violation details)
    ///     for the detail pane and the repeater.
    ///   - randomSeed: seeds the composer's masking keys; `nil` takes one from the system's secure source.
    ///   - payloadBytes: the size of the ring that keeps the newest whole payloads, for search, the
    ///     detail pane and the message view (older frames keep their preview only).
    ///   - lenses: which lenses read the messages (`--lens`; off by default here, the glue passes the choice).
    ///   - answerTimeoutNanoseconds: how long a request waits for its answer (`--answer-timeout`).
    public init(
        mode: SessionMode, listenAddress: String = "", upstream: String = "",
        size: ScreenSize = ScreenSize(columns: 80, rows: 24), utcOffsetSeconds: Int = 0,
        defaultFraming: Hybi00Framing = .old, frameCapacity: Int = 1 << 20, recentFrames: Int = 512,
        randomSeed: UInt64? = nil, payloadBytes: Int = 32 << 20, lenses: LensReader.Choice = .off,
        answerTimeoutNanoseconds: UInt64 = 30_000_000_000
    ) {
        self.mode = mode
        self.listenAddress = listenAddress
        self.upstream = upstream
        self.size = size
        self.utcOffsetSeconds = utcOffsetSeconds
        self.defaultFraming = defaultFraming
        frames = FrameStore(capacity: frameCapacity, payloadBytes: payloadBytes)
        messages = MessageStore(capacity: frameCapacity)
        recent = RecentFrames(maxFrames: recentFrames)
        self.lenses = LensRows(choice: lenses, answerTimeoutNanoseconds: answerTimeoutNanoseconds)
        var system = SystemRandomNumberGenerator()
        random = SeededRandomNumberGenerator(seed: randomSeed ?? system.next())
    }

    /// How many frames were seen in all (including those no longer held).
    public var framesSeen: Int { frames.endSequence }
    /// How many frames the list holds.
    public var framesHeld: Int { frames.count }
    /// Hold ids of the frames waiting in the intercept queue, oldest first.
    public var heldHoldIDs: [UInt64] { heldFrames.map(\.holdID) }

    // MARK: Positions in the list

    /// The sequence number after the last frame shown.
    var visibleEnd: Int { min(pausedAt ?? frames.endSequence, frames.endSequence) }

    /// Whether the list's rows come from `filtered` (a filter, or the message view) rather than from every
    /// frame held.
    var listsIndex: Bool { filter != nil || showsMessages }

    /// How many rows the list shows.
    var visibleCount: Int {
        guard listsIndex else { return max(0, visibleEnd - frames.firstSequence) }
        return max(0, lowerBound(visibleEnd) - filteredStart)
    }

    /// The frame at a list position.
    func sequence(at position: Int) -> Int {
        guard listsIndex else { return frames.firstSequence + position }
        return filtered[filteredStart + position]
    }

    /// The list position of a frame; `nil` when it is not shown.
    func position(of sequence: Int) -> Int? {
        guard listsIndex else {
            guard sequence >= frames.firstSequence, sequence < visibleEnd else { return nil }
            return sequence - frames.firstSequence
        }
        let index = lowerBound(sequence)
        guard index < filtered.count, filtered[index] == sequence, sequence < visibleEnd else { return nil }
        return index - filteredStart
    }

    /// The list position of the first frame at or after `sequence`.
    func position(atOrAfter sequence: Int) -> Int {
        guard listsIndex else { return max(0, sequence - frames.firstSequence) }
        return lowerBound(sequence) - filteredStart
    }

    /// The index in `filtered` of the first entry at or after `sequence` (from `filteredStart`).
    private func lowerBound(_ sequence: Int) -> Int {
        var low = filteredStart
        var high = filtered.count
        while low < high {
            let middle = (low + high) / 2
            if filtered[middle] < sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    // MARK: Layout

    /// Where the parts of the screen go.
    var layout: Layout { Layout(size: size, detailOpen: detailOpen) }
}

/// The rows of the screen's parts.
struct Layout: Hashable {
    var size: ScreenSize
    /// The row with the column headings.
    var headingRow: Int { 1 }
    /// The first row of frames.
    var listTop: Int { 2 }
    var listHeight: Int
    /// The detail pane's title row, and its first text row.
    var detailTitleRow: Int
    var detailTop: Int
    var detailHeight: Int
    var hintRow: Int { size.rows - 1 }

    /// Smaller terminals get a message instead.
    static let minimumColumns = 40
    static let minimumRows = 8

    var isTooSmall: Bool { size.columns < Self.minimumColumns || size.rows < Self.minimumRows }

    init(size: ScreenSize, detailOpen: Bool) {
        self.size = size
        let body = max(0, size.rows - 3)
        if detailOpen {
            listHeight = max(3, body / 3)
            detailTitleRow = 2 + listHeight
            detailTop = detailTitleRow + 1
            detailHeight = max(0, size.rows - 1 - detailTop)
        } else {
            listHeight = body
            detailTitleRow = size.rows
            detailTop = size.rows
            detailHeight = 0
        }
    }
}
