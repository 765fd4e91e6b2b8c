import CFuzzerDriver

#if canImport(Glibc)
import Glibc
#endif

/// Starts libFuzzer with the command-line arguments; it calls `fuzz` (LLVMFuzzerTestOneInput) per input.
@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = withUnsafeMutablePointer(to: &argv) { argvPointer in
            argvPointer.withMemoryRebound(to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self, capacity: 1) {
                LLVMFuzzerRunDriver(&argc, $0) { data, size in fuzz(data!, size) }
            }
        }
        exit(status)
    }
}
