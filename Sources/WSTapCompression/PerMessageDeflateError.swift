public import WSTapCore

/// Why a permessage-deflate message could not be compressed or inflated.
public struct PerMessageDeflateError: Error, Hashable, Sendable {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// The message inflates to more than the limit (a zip bomb, or simply too large).
        case messageTooLarge(limit: Int)
        /// The compressed data is not valid DEFLATE (or refers past the start of the window).
        case corruptData
        /// One message holds more than one DEFLATE block with BFINAL set (RFC 7692 section 7.2.3.4 allows one,
        /// to end a message; more would let a small message cost a window's worth of work per block).
        case repeatedFinalBlock
        /// A window size outside 8-15 was asked for.
        case invalidWindowBits(Int)
        /// A fragment came after the final one, or a message was not finished properly.
        case misuse(String)
        /// zlib failed in a way input should not cause (out of memory, internal error).
        case zlibFailure(String)
    }

    /// What went wrong.
    public let kind: Kind

    /// Creates an error.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// Throws ``Kind/invalidWindowBits(_:)`` unless `windowBits` is 8-15.
    static func checkWindowBits(_ windowBits: Int) throws(PerMessageDeflateError) {
        guard
            (PerMessageDeflateParameters.minWindowBits...PerMessageDeflateParameters.maxWindowBits).contains(windowBits)
        else { throw PerMessageDeflateError(.invalidWindowBits(windowBits)) }
    }

    /// The close code that fails a connection for this error: 1009 for a message too large, 1007 for corrupt
    /// data, 1011 otherwise.
    public var closeCode: CloseCode {
        switch kind {
        case .messageTooLarge: .messageTooBig
        case .corruptData, .repeatedFinalBlock: .invalidPayloadData
        case .invalidWindowBits, .misuse, .zlibFailure: .internalError
        }
    }
}

extension PerMessageDeflateError: CustomStringConvertible {
    /// One sentence saying what went wrong.
    public var description: String {
        switch kind {
        case .messageTooLarge(let limit):
            "the compressed message inflates to more than \(limit) bytes"
        case .corruptData:
            "the compressed message is not valid DEFLATE data (RFC 7692 section 7.2.2)"
        case .repeatedFinalBlock:
            "the compressed message holds more than one DEFLATE block with BFINAL set"
        case .invalidWindowBits(let bits):
            "window bits must be 8-15, not \(bits)"
        case .misuse(let what):
            what
        case .zlibFailure(let what):
            "zlib failed: \(what)"
        }
    }
}
