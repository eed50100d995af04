import Dispatch
import Foundation
package import StrataCore
import Synchronization

/// The one way a query runs on several threads: a fixed number of workers, each on its own thread of
/// Dispatch's pool, each owning its own state (an operator, per-unit sums) that the caller merges in
/// worker order afterwards, so the same data and worker count give the same answer on every run.
package enum Workers {
    /// Online processors: a query's default number of workers.
    package static let processorCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body(w, stopped)` for every worker `w` in `0..<count`, each on its own thread (on the caller's
    /// when there is one). `stopped()` turns true once a worker has failed, for long loops to give up early.
    /// - Throws: The first error a worker threw.
    package static func run(
        _ count: Int, _ body: (_ worker: Int, _ stopped: () -> Bool) throws(StrataError) -> Void
    ) throws(StrataError) {
        if count <= 1 {
            try body(0, { false })
            return
        }
        let failure = FirstFailure()
        withoutActuallyEscaping(body) { body in
            // Safety: the caller gives each worker its own state; what workers share they only read.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { w in
                do throws(StrataError) {
                    try shared.value(w) { failure.happened }
                } catch {
                    failure.record(error)
                }
            }
        }
        if let error = failure.error { throw error }
    }

    /// Calls `body(&state, segment)` for every segment in `0..<segmentCount` on up to `processorCount`
    /// workers, each taking a contiguous run of segments into its own state.
    /// - Returns: The states of the workers that ran (at least one), in segment order.
    /// - Throws: The first error a segment threw; the other segments may or may not have run.
    package static func eachSegment<State>(
        segmentCount: Int, makeState: () -> State, _ body: (inout State, Int) throws(StrataError) -> Void
    ) throws(StrataError) -> [State] {
        let count = max(1, min(segmentCount, processorCount))
        var states = (0..<count).map { _ in makeState() }
        try states.withUnsafeMutableBufferPointer { states throws(StrataError) in
            try run(count) { w, stopped throws(StrataError) in
                for s in (w * segmentCount / count)..<((w + 1) * segmentCount / count) {
                    if stopped() { return }
                    try body(&states[w], s)
                }
            }
        }
        return states
    }
}

/// The first error of any worker.
private final class FirstFailure: Sendable {
    private let first = Mutex<StrataError?>(nil)

    var happened: Bool { first.withLock { $0 != nil } }
    var error: StrataError? { first.withLock { $0 } }

    func record(_ error: StrataError) { first.withLock { $0 = $0 ?? error } }
}

/// Hands a value to the workers of ``Workers``, which give each worker exclusive state.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
