/// Waits until `condition` holds, looking every 20 ms, for at most `seconds`: a deadline that only a hung
/// test reaches (a loaded machine must not), never a timing assertion. Sleeps with `Task.sleep`, so it
/// holds no thread while it waits. Returns whether the condition held.
@discardableResult
public func waitUntil(within seconds: Int = 60, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return true
}
