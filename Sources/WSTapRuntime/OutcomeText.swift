public import WSTapCore

/// How a connection ended, in one line.
public enum OutcomeText {
    /// `clean by=client code=1000 (normal-closure) sent=1000`: the words that apply.
    public static func describe(_ outcome: CloseOutcome) -> String {
        var parts: [String] = [outcome.wasClean ? "clean" : "unclean"]
        if let initiator = outcome.initiator { parts.append("by=\(initiator.rawValue)") }
        if let code = outcome.receivedCode { parts.append("code=\(code.rawValue) (\(code.name))") }
        if !outcome.receivedReason.isEmpty { parts.append("reason=\"\(outcome.receivedReason)\"") }
        if let sent = outcome.sentCode { parts.append("sent=\(sent.rawValue)") }
        if let failure = outcome.failure { parts.append("error=\"\(failure)\"") }
        return parts.joined(separator: " ")
    }
}
