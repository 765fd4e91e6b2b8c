/// Why `wstap connect` could not open its connection, with the flags that help when the server's
/// certificate did not verify (as the proxy's 502 names `--upstream-ca` and `--insecure-upstream`).
public enum ConnectFailureText {
    /// The error's text, with the flags that help when it says a certificate is not trusted.
    public static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        guard text.contains(" not trusted") else { return text }
        return text + "; use --ca FILE or --insecure"
    }
}
