public import WSTapCore

/// What intercept holds: the directions it is on for and the frames it picks there.
public struct InterceptSettings: Sendable {
    /// The directions frames are held in; empty means intercept is off.
    public var directions: Set<TrafficDirection>
    /// Which frames in those directions are held.
    public var filter: InterceptFilter

    /// Intercept on for `directions` (off when empty), holding the frames `filter` picks (all by default).
    public init(directions: Set<TrafficDirection>, filter: InterceptFilter = .everything) {
        self.directions = directions
        self.filter = filter
    }

    /// Intercept off: every frame passes.
    public static let off = InterceptSettings(directions: [])

    /// Whether a frame is held: its direction is intercepted and it passes the filter.
    public func holds(_ frame: TrafficEvent.FrameSeen) -> Bool {
        directions.contains(frame.direction) && filter.matches(frame)
    }
}
