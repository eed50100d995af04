import StrataCore
import Synchronization

/// Decoded blocks kept in memory across queries, up to a byte budget, evicting the oldest first.
///
/// Dashboards ask the same questions of the same recent data again and again; decoding (checksum,
/// decompression, unpacking) dominates a scan, so repeated queries read decoded blocks from here.
/// Entries are immutable values, so a hit is shared without copying.
public final class BlockCache: Sendable {
    struct Key: Hashable {
        let segment: UInt64
        let column: Int32
        let block: Int32
    }

    struct State {
        var entries: [Key: (data: ColumnData, bytes: Int)] = [:]
        /// Keys per segment, so that dropping a segment costs its own entries, not the whole cache
        /// (head segments come and go with every append and merge).
        var bySegment: [UInt64: [Key]] = [:]
        /// Insertion order for eviction; may hold keys already removed (skipped, and compacted away).
        var order: [Key] = []
        var head = 0
        var bytes = 0
    }

    public let capacityBytes: Int
    private let state = Mutex(State())
    private static let nextSegment = Atomic<UInt64>(1)

    public init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    /// A process-unique id for a segment reader's entries.
    static func segmentID() -> UInt64 { nextSegment.wrappingAdd(1, ordering: .relaxed).oldValue }

    /// Bytes currently held.
    public var size: Int { state.withLock { $0.bytes } }

    func value(segment: UInt64, column: Int, block: Int) -> ColumnData? {
        state.withLock { $0.entries[Key(segment: segment, column: Int32(column), block: Int32(block))]?.data }
    }

    func insert(_ data: ColumnData, segment: UInt64, column: Int, block: Int) {
        let size = Self.size(of: data)
        guard size <= capacityBytes / 4 else { return }
        let key = Key(segment: segment, column: Int32(column), block: Int32(block))
        state.withLock { s in
            guard s.entries[key] == nil else { return }
            s.entries[key] = (data, size)
            s.bySegment[key.segment, default: []].append(key)
            s.order.append(key)
            s.bytes += size
            while s.bytes > capacityBytes, s.head < s.order.count {
                let old = s.order[s.head]
                if let evicted = s.entries.removeValue(forKey: old) {
                    s.bytes -= evicted.bytes
                    s.bySegment[old.segment]?.removeAll { $0 == old }
                    if s.bySegment[old.segment]?.isEmpty == true { s.bySegment[old.segment] = nil }
                }
                s.head += 1
            }
            if s.head > 4096, s.head * 2 > s.order.count {
                s.order.removeFirst(s.head)
                s.head = 0
            }
            // Keys of dropped segments linger in `order`: compact it when they dominate.
            if s.order.count - s.head > 4096, (s.order.count - s.head) > 2 * s.entries.count {
                let live = s.entries
                s.order = s.order[s.head...].filter { live[$0] != nil }
                s.head = 0
            }
        }
    }

    /// Drops a segment's entries (after compaction or retention removed it).
    func remove(segment: UInt64) {
        state.withLock { s in
            for key in s.bySegment.removeValue(forKey: segment) ?? [] {
                if let e = s.entries.removeValue(forKey: key) { s.bytes -= e.bytes }
            }
        }
    }

    static func size(of data: ColumnData) -> Int {
        let validity = (data.validity?.words.count ?? 0) * 8
        switch data {
        case .int64(let v, _): return v.count * 8 + validity + 64
        case .double(let v, _): return v.count * 8 + validity + 64
        case .bool(let v, _): return v.count + validity + 64
        case .string(_, let codes, _): return codes.count * 4 + validity + 64
        case .sketch(let bytes, let offsets, _): return bytes.count + offsets.count * 8 + validity + 64
        }
    }
}
