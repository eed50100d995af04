import Dispatch
import StrataCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a per-segment job on a few workers, each with its own state (per-unit accumulators), and
/// returns the workers' states for the caller to merge. Each worker takes a contiguous run of
/// segments, so with a given processor count the states (and the floating-point sums merged from
/// them in worker order) are the same on every run.
enum SegmentWorkers {
    /// Online processors (at least 1).
    static let processorCount: Int = {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
            return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
            return 1
        #endif
    }()

    /// Calls `body(state, segment)` once for every segment in `0..<segmentCount`.
    ///
    /// - Parameters:
    ///   - segmentCount: The number of segments.
    ///   - makeState: Makes one worker's state.
    ///   - body: Processes one segment into a worker's state.
    /// - Returns: The states of the workers that ran (at least one).
    /// - Throws: The first error a segment threw; the other segments may or may not have run.
    static func run<State>(
        segmentCount: Int, makeState: () -> State, _ body: (inout State, Int) throws(StrataError) -> Void
    ) throws(StrataError) -> [State] {
        let workers = max(1, min(segmentCount, processorCount))
        if workers == 1 {
            var state = makeState()
            for s in 0..<segmentCount { try body(&state, s) }
            return [state]
        }
        let states = UnsafeMutableBufferPointer<State>.allocate(capacity: workers)
        for w in 0..<workers { (states.baseAddress! + w).initialize(to: makeState()) }
        defer {
            states.baseAddress!.deinitialize(count: workers)
            states.deallocate()
        }
        let failure = Mutex<StrataError?>(nil)
        withoutActuallyEscaping(body) { body in
            // Safety: worker `w` only touches `states[w]`; `body` reads data that no worker mutates.
            let shared = UncheckedSendable((body: body, states: states))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let (body, states) = shared.value
                for s in (w * segmentCount / workers)..<((w + 1) * segmentCount / workers) {
                    if failure.withLock({ $0 != nil }) { return }
                    do throws(StrataError) {
                        try body(&states[w], s)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                        return
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return Array(states)
    }
}

/// Hands values to the workers of ``SegmentWorkers``, which guarantee exclusive access per worker.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
