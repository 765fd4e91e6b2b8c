import Testing
import WSTapCore

@testable import WSTapUI

/// The viewer's search of the recording on disk: `/`, `n` and `N` ask the glue with an effect, and its
/// reports move the cursor. Live modes keep searching the payloads held (``SearchTests``).
@Suite struct RecordingSearchTests {
    func viewer() -> UIState {
        var state = UIState(mode: .viewer, upstream: "session.wstap")
        state.searchesRecording = true
        Sessions.apply(&state, Sessions.fragmentedMessages)
        return state
    }

    /// Types `/text` and Enter; returns the effects of the Enter.
    func search(_ state: inout UIState, _ text: String) -> [UIEffect] {
        Sessions.keys(&state, .character("/"), .control("u"))
        for character in text { Sessions.keys(&state, .character(character)) }
        return reduce(&state, .key(.enter))
    }

    /// The one search request among the effects.
    func request(_ effects: [UIEffect]) throws -> RecordingSearchRequest {
        try #require(effects.count == 1, "\(effects)")
        guard case .searchRecording(let request) = effects[0] else {
            Issue.record("not a search of the recording: \(effects)")
            throw RecordingSearchTestError()
        }
        return request
    }

    struct RecordingSearchTestError: Error {}

    @Test func slashAsksTheGlueAndTheAnswerSelectsTheRow() throws {
        var state = viewer()
        Sessions.keys(&state, .character("g"))
        let asked = try request(search(&state, "WORLD"))
        #expect(asked.text == "WORLD")
        #expect(asked.from == 0, "from the selected row")
        #expect(asked.forward)
        #expect(asked.filter == nil)
        #expect(asked.shown == 0..<10)
        #expect(state.selected == 0, "nothing moves before the answer")
        #expect(state.recordingSearchRunning)
        #expect(state.notice?.contains("searching the recording") == true)

        _ = reduce(&state, .recordingSearch(.progress(id: asked.id, looked: 250, total: 1000)))
        #expect(state.notice?.contains("25% of 1000 frames") == true, "\(state.notice ?? "")")
        _ = reduce(&state, .recordingSearch(.found(id: asked.id, sequence: 5, offset: 2, wrapped: false)))
        #expect(state.selected == 5)
        #expect(!state.following)
        #expect(!state.recordingSearchRunning)
        #expect(state.notice?.contains("frame #6, byte 2") == true, "\(state.notice ?? "")")

        // n goes on from there, N goes back.
        let next = try request(reduce(&state, .key(.character("n"))))
        #expect(next.from == 5 && next.forward && next.id > asked.id)
        _ = reduce(&state, .recordingSearch(.notFound(id: next.id, looked: 10)))
        #expect(state.notice?.contains("not found") == true)
        #expect(state.selected == 5)
        let previous = try request(reduce(&state, .key(.character("N"))))
        #expect(previous.from == 5 && !previous.forward)
        _ = reduce(&state, .recordingSearch(.found(id: previous.id, sequence: 8, offset: 0, wrapped: true)))
        #expect(state.selected == 8)
        #expect(state.notice?.hasPrefix("search wrapped") == true)
    }

    @Test func reportsOfAnOlderOrStoppedSearchAreIgnored() throws {
        var state = viewer()
        Sessions.keys(&state, .character("g"))
        let first = try request(search(&state, "hello"))
        let second = try request(search(&state, "single"))
        #expect(second.id != first.id)
        _ = reduce(&state, .recordingSearch(.found(id: first.id, sequence: 3, offset: 0, wrapped: false)))
        #expect(state.selected == 0, "the older search's answer comes too late")
        #expect(state.recordingSearchRunning)

        // Esc stops the search (and says so to the glue); its answer is not heard.
        #expect(reduce(&state, .key(.escape)) == [.stopRecordingSearch])
        #expect(!state.recordingSearchRunning)
        #expect(state.search == "single", "Esc stopped the search but kept it for n")
        _ = reduce(&state, .recordingSearch(.found(id: second.id, sequence: 8, offset: 0, wrapped: false)))
        #expect(state.selected == 0)
        #expect(reduce(&state, .key(.escape)).isEmpty, "a second Esc clears the search as before")
        #expect(state.search == nil)
    }

    @Test func theRequestCarriesTheFilterAndThePause() throws {
        var state = viewer()
        Sessions.keys(&state, .character("p"))
        _ = reduce(&state, .traffic(Sessions.fragmentedMessages.events))
        #expect(state.framesSeen == 20)
        Sessions.keys(&state, .character("f"))
        for character in "dir=c2s" { Sessions.keys(&state, .character(character)) }
        Sessions.keys(&state, .enter)
        let asked = try request(search(&state, "re:wor.d"))
        #expect(asked.filter == FrameFilter(direction: .clientToServer))
        #expect(asked.shown == 0..<10, "the frames after the pause are not shown, so not searched")
    }

    @Test func aMatchInAFragmentSelectsItsMessage() throws {
        var state = viewer()
        Sessions.keys(&state, .character("m"), .character("g"))
        #expect(state.selected == 0)
        let asked = try request(search(&state, "world"))
        #expect(asked.from == 5, "after the selected message's last frame, so that n finds the next one")
        _ = reduce(&state, .recordingSearch(.found(id: asked.id, sequence: 5, offset: 0, wrapped: true)))
        #expect(state.selected == 0, "frame 5 is the text message's last fragment")
        #expect(state.notice?.contains("message from frame #1 (frame #6)") == true, "\(state.notice ?? "")")
    }

    @Test func aMatchTheListNoLongerShowsIsSaid() throws {
        var state = UIState(mode: .viewer, frameCapacity: 4)
        state.searchesRecording = true
        Sessions.apply(&state, Sessions.fragmentedMessages)
        let asked = try request(search(&state, "hello"))
        #expect(asked.shown == 6..<10)
        _ = reduce(&state, .recordingSearch(.found(id: asked.id, sequence: 0, offset: 0, wrapped: true)))
        #expect(state.notice?.contains("does not show it any more") == true)
    }

    @Test func liveModesSearchWhatTheyHoldWithoutAskingTheGlue() {
        var state = UIState(mode: .proxy)
        Sessions.apply(&state, Sessions.fragmentedMessages)
        Sessions.keys(&state, .character("g"))
        #expect(search(&state, "single").isEmpty)
        #expect(state.selected == 8)
    }
}
