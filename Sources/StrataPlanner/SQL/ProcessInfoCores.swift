import Foundation

/// The number of cores queries use by default.
enum ProcessInfoCores {
    static let count = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
