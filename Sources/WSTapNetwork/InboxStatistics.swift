/// What a connection's inbox holds and has held: the measure of its backpressure.
struct InboxStatistics: Sendable {
    /// Payload bytes of the events waiting to be taken now.
    var bufferedBytes = 0
    /// The most payload bytes that ever waited at once.
    var peakBufferedBytes = 0
    /// How many times the waiting bytes passed the limit (each time the handler stopped reading).
    var timesOverLimit = 0
}
