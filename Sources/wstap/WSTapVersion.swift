/// The version `wstap --version` prints and recordings carry.
enum WSTapVersion {
    static let string = "0.1.0-dev"
}
