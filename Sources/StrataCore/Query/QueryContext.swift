import Foundation
import Synchronization

/// The limits of one running query: cancellation, a deadline and a memory budget, shared by every
/// operator and worker thread of the query (SQL, native queries, scans, experiment analysis, ingest).
///
/// Operators call ``check()`` every few thousand rows or once per block, and ``reserve(bytes:)`` /
/// ``release(bytes:)`` for the memory they hold (materialized rows, group tables, sort buffers, parsed
/// input), estimated. Exceeding the timeout or the memory limit throws a `limit` ``StrataError``;
/// ``cancel()`` (from any thread) makes the next check throw `cancelled`.
///
/// ```swift
/// let context = QueryContext(options: QueryOptions(timeout: .seconds(5), memoryLimit: 512 << 20))
/// DispatchQueue.global().asyncAfter(deadline: .now() + 1) { context.cancel() }
/// let result = try db.query("SELECT * FROM events ORDER BY ts", context: context)
/// ```
public final class QueryContext: Sendable {
    /// The memory budget in bytes: ``QueryOptions/memoryLimit`` or ``defaultMemoryLimit``.
    public let memoryLimit: Int
    /// The timeout the deadline was derived from.
    public let timeout: Duration?
    /// When the query fails with a `limit` error.
    public let deadline: ContinuousClock.Instant?
    /// What the errors call the work: "the query", "the ingest".
    let subject: String
    private let cancelled = Atomic<Bool>(false)
    private let reserved = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)

    /// A context whose clock starts now.
    public convenience init(options: QueryOptions = QueryOptions()) {
        self.init(options: options, subject: "the query")
    }

    /// A context whose errors call the work `subject` ("the ingest").
    package init(options: QueryOptions, subject: String) {
        self.subject = subject
        memoryLimit = options.memoryLimit ?? Self.defaultMemoryLimit
        timeout = options.timeout
        deadline = options.timeout.map { ContinuousClock.now + $0 }
    }

    /// Stops the query: its next check throws `cancelled`. Safe from any thread or a signal handler's queue.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// The bytes reserved now.
    public var reservedBytes: Int { reserved.load(ordering: .relaxed) }

    /// The most bytes reserved at once.
    public var peakBytes: Int { peak.load(ordering: .relaxed) }

    /// Throws `cancelled` after ``cancel()`` and `limit` past the deadline. Cheap (an atomic load and a
    /// clock read): call it once per block or every few thousand rows, not per row.
    public func check() throws(StrataError) {
        if cancelled.load(ordering: .relaxed) { throw StrataError(.cancelled, "\(subject) was cancelled") }
        if let deadline, ContinuousClock.now > deadline {
            throw StrataError(
                .limit, "\(subject) exceeded its timeout of \(Self.format(timeout ?? .zero))",
                detail: "raise it with SET timeout = '…' or --timeout")
        }
    }

    /// Accounts `bytes` more memory held by the query; throws `limit` (and accounts nothing) when that
    /// would pass the memory limit.
    public func reserve(bytes: Int) throws(StrataError) {
        guard bytes > 0 else { return }
        let total = reserved.wrappingAdd(bytes, ordering: .relaxed).newValue
        if total > memoryLimit {
            reserved.wrappingSubtract(bytes, ordering: .relaxed)
            throw StrataError(
                .limit,
                "\(subject) exceeded its memory limit of \(Self.format(bytes: memoryLimit)) "
                    + "(it needed about \(Self.format(bytes: total)))",
                detail: "raise it with SET memory_limit = '…' or --memory-limit, or narrow the query")
        }
        var seen = peak.load(ordering: .relaxed)
        while total > seen {
            let (exchanged, original) = peak.compareExchange(expected: seen, desired: total, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
    }

    /// Gives back memory accounted with ``reserve(bytes:)``.
    public func release(bytes: Int) {
        guard bytes > 0 else { return }
        reserved.wrappingSubtract(bytes, ordering: .relaxed)
    }

    /// ``check()``, then moves a holder's reservation from `held` to `bytes` (more or less).
    package func account(_ held: inout Int, to bytes: Int) throws(StrataError) {
        try check()
        if bytes > held {
            try reserve(bytes: bytes - held)
        } else {
            release(bytes: held - bytes)
        }
        held = bytes
    }

    /// The default memory limit: 80% of the machine's memory, or of the control group's limit when that
    /// is lower (as DuckDB does), so a runaway query fails with a `limit` error before the kernel kills
    /// the process.
    public static let defaultMemoryLimit: Int = {
        var total = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
                let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0
            {
                total = min(total, limit)
            }
        }
        return max(1 << 26, total / 5 * 4)
    }()

    /// `512 MB`, `1.5 GB`, `1 GiB`: the unit that shows the value best.
    public static func format(bytes: Int) -> String {
        let units: [(Int, String)] = [
            (1 << 40, "TiB"), (1_000_000_000_000, "TB"), (1 << 30, "GiB"), (1_000_000_000, "GB"), (1 << 20, "MiB"),
            (1_000_000, "MB"), (1 << 10, "KiB"), (1000, "KB"),
        ]
        for (size, name) in units where bytes >= size && bytes % size == 0 { return "\(bytes / size) \(name)" }
        for (size, name) in [(1_000_000_000, "GB"), (1_000_000, "MB"), (1000, "KB")] where bytes >= size {
            return String(format: "%.1f", Double(bytes) / Double(size)) + " " + name
        }
        return "\(bytes) bytes"
    }

    /// `5 s`, `250 ms`, `1.5 s`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) * 1e-15
        if ms >= 1000 {
            return ms.truncatingRemainder(dividingBy: 1000) == 0 ? "\(Int(ms / 1000)) s" : "\(ms / 1000) s"
        }
        if ms >= 1 { return ms.rounded() == ms ? "\(Int(ms)) ms" : String(format: "%.3f ms", ms) }
        return String(format: "%.0f µs", ms * 1000)
    }
}
