/// A frame the composer sent, kept in a short list so it can be sent again or loaded back into the form.
public struct CraftedFrame: Hashable, Sendable {
    /// The form as it was when sent.
    public var form: ComposerForm
    /// The exact bytes sent.
    public var bytes: [UInt8]
    /// What the list shows.
    public var summary: String

    /// How many the list keeps (the oldest go first).
    static let limit = 20
    /// How many bytes the list keeps in all (the newest frame always stays).
    static let byteBudget = 16 << 20
}
