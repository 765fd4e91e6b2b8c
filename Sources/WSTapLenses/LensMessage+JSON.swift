extension LensMessage {
    /// The message's bytes read as JSON, or (as `failure`) the one view that says why they are not: for the
    /// lenses of protocols whose every message is JSON.
    func parsedJSON() -> (value: LensValue?, failure: [LensView]) {
        do {
            return (try JSONText.parse(bytes), [])
        } catch {
            return (nil, [.doesNotParse("not JSON: \(error)")])
        }
    }
}
