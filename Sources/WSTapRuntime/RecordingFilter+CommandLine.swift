import Foundation
import WSTapCore
public import WSTapSession

extension RecordingFilter {
    /// The filter of `wstap view --conn --dir --opcode --grep`, from the words given; a word that is not a
    /// direction (`c2s`, `s2c`), an opcode (a name or 0-15) or a regular expression is an error naming its
    /// flag.
    public init(connection: UInt64?, direction: String?, opcode: String?, pattern: String?) throws {
        self.init(connection: connection)
        if let direction {
            guard let parsed = TrafficDirection(rawValue: direction) else {
                throw CommandFailure("--dir '\(direction)': expected c2s or s2c")
            }
            self.direction = parsed
        }
        if let opcode {
            guard let parsed = Opcode(name: opcode) else {
                throw CommandFailure("--opcode '\(opcode)': expected text, binary, close, ping, pong, cont or 0-15")
            }
            self.opcode = parsed
        }
        if let pattern {
            do {
                self.pattern = try NSRegularExpression(pattern: pattern)
            } catch {
                throw CommandFailure("--grep '\(pattern)': not a valid regular expression")
            }
        }
    }
}
