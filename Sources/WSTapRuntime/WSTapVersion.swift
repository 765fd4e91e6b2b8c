/// The version `wstap --version` prints and recordings carry.
public enum WSTapVersion {
    /// The version number.
    public static let string = "0.1.0-dev"
}
