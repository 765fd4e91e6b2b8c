import Foundation
import WSTapTestSupport

extension PeerProcess {
    /// A python3 peer script from the network tests' Peers folder (servers print their port first).
    static func networkPeer(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> PeerProcess
    {
        try PeerProcess.python(PeerScripts.script(script, of: "WSTapNetworkTests"), arguments, environment: environment)
    }
}
