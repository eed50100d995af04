import Foundation
import StrataCore
import Synchronization

/// A background thread that calls `tick` every `interval` until stopped (or until `tick` returns
/// `false`). ``stop()`` wakes it at once; it does not wait for a running tick to end.
final class FlushTimer: @unchecked Sendable {
    // `condition` guards `stopped`.
    private let condition = NSCondition()
    private var stopped = false

    init(interval: Duration, tick: @escaping @Sendable () -> Bool) {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let thread = Thread { [self] in
            while true {
                condition.lock()
                let deadline = Date(timeIntervalSinceNow: max(seconds, 0.001))
                while !stopped, condition.wait(until: deadline) {}
                let done = stopped
                condition.unlock()
                if done || !tick() { return }
            }
        }
        thread.name = "strata-flush"
        thread.start()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

extension Database {
    /// Starts the background flush if ``Options/flushInterval`` is set.
    func startTimer() {
        guard let interval = options.flushInterval else { return }
        let timer = FlushTimer(interval: interval) { [weak self] in
            guard let self else { return false }
            return self.backgroundFlush()
        }
        self.timer.withLock { $0 = timer }
    }

    /// One background round: flush every non-empty head. Returns `false` once the database is closed.
    private func backgroundFlush() -> Bool {
        guard !isClosed else { return false }
        _ = maintenanceLock.withLockIfAvailable { _ in
            let keys = state.withLock { s in s.heads.filter { !$0.value.isEmpty }.keys.sorted() }
            for key in keys {
                do throws(StrataError) {
                    try flushHead(key)
                } catch {
                    deferredError.withLock { $0 = error }
                }
            }
        }
        return true
    }
}
