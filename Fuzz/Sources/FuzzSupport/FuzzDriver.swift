import CFuzzerDriver
import Foundation

/// Runs libFuzzer on one target from the executable's `main`, with the process's arguments.
public enum FuzzDriver {
    /// What a target does with one input; its return value is 0 (libFuzzer reserves other values).
    public typealias Target = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Hands control to libFuzzer's driver; returns its exit status.
    public static func run(_ target: Target) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv, target)
        exit(status)
    }
}
