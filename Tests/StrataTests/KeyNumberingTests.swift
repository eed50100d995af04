import StrataCore
import StrataTestSupport
@testable import StrataExecution
import Testing

/// ``KeyColumn`` numbers strings in order of first appearance whichever way they come (plain string
/// vectors, batched, and segment dictionaries), and ``GroupNumbering`` numbers key tuples in that order
/// while the packed form widens or gives up on a word.
@Suite("Key and group numbering")
struct KeyNumberingTests {
    /// Strings of every shape a table probe must tell apart: empty, short, longer than a small string's
    /// 15 bytes, non-ASCII, and many sharing long prefixes.
    static func words(_ count: Int) -> [String] {
        (0..<count).map { i in
            switch i % 6 {
            case 0: return "u\(i)"
            case 1: return "a-long-shared-prefix-of-more-than-sixteen-bytes-\(i)"
            case 2: return "é\(i)ß日本"
            case 3: return String(repeating: "x", count: i % 40)
            case 4: return ""
            default: return "\(i)"
            }
        }
    }

    /// The reference: each value's number is how many distinct values came before its first appearance.
    static func reference(_ values: [String?], into seen: inout [String?: UInt32]) -> [UInt32] {
        values.map { value in
            if let id = seen[value] { return id }
            let id = UInt32(seen.count)
            seen[value] = id
            return id
        }
    }

    static func vector(_ values: [String?]) -> Vector {
        var validity = Bitset(count: values.count, value: true)
        for (i, v) in values.enumerated() where v == nil { validity[i] = false }
        return Vector(type: .varchar, storage: .string(values.map { $0 ?? "" }), validity: validity, count: values.count)
    }

    @Test("plain string batches and segment dictionaries number values in order of first appearance")
    func stringsInOrder() {
        let pool = Self.words(3000)
        var rng = SplitMix64(seed: 11)
        let column = KeyColumn()
        var seen: [String?: UInt32] = [:]
        for batch in 0..<6 {
            if batch % 2 == 0 {
                // A plain string vector, NULLs and repeats included.
                let values: [String?] = (0..<2500).map { _ in
                    rng.next() % 17 == 0 ? nil : pool[Int(rng.next() % UInt64(pool.count))]
                }
                #expect(column.ids(Self.vector(values)) == Self.reference(values, into: &seen))
            } else {
                // A segment dictionary: sorted distinct entries, rows by code.
                let entries = Array(Set((0..<1500).map { _ in pool[Int(rng.next() % UInt64(pool.count))] })).sorted {
                    $0.utf8.lexicographicallyPrecedes($1.utf8)
                }
                let codes = (0..<4000).map { _ in UInt32(rng.next() % UInt64(entries.count)) }
                let vector = Vector(
                    type: .varchar,
                    storage: .dictionary(
                        codes: codes, entries: Vector(type: .varchar, storage: .string(entries), count: entries.count),
                        id: batch << 16),
                    count: codes.count)
                #expect(column.ids(vector) == Self.reference(codes.map { entries[Int($0)] }, into: &seen))
            }
        }
        #expect(column.count == seen.count)
        // Another worker's column, translated: equal strings get this column's ids, new ones the next.
        let other = KeyColumn()
        let theirs: [String?] = pool.shuffled(using: &rng).prefix(1200).map { $0 } + ["only-theirs", nil]
        _ = other.ids(Self.vector(theirs))
        // One id per id of theirs, in their order.
        let values: [String?] = other.values.map { if case .string(let s) = $0 { s } else { nil } }
        #expect(values.count == Set(theirs).count)
        #expect(column.translation(from: other, type: .varchar) == Self.reference(values, into: &seen))
    }

    @Test("packed group numbers stay in order of first appearance as key ids grow, and past 64 bits")
    func packedGroups() {
        for large in [false, true] {
            var numbering = GroupNumbering(keyCount: 3)
            var seen: [[UInt32]: UInt32] = [:]
            var rng = SplitMix64(seed: large ? 5 : 3)
            for batch in 0..<8 {
                // The third key's ids grow batch by batch (user ids numbered as they come); with `large`,
                // ids of 2^22 and more need 66 bits for three keys.
                let top = UInt64(1000 << batch)
                let keys: [[UInt32]] = [
                    (0..<3000).map { _ in UInt32(rng.next() % 20) + (large ? 1 << 22 : 0) },
                    (0..<3000).map { _ in UInt32(rng.next() % 3) },
                    (0..<3000).map { _ in UInt32(rng.next() % top) + (large ? 1 << 22 : 0) },
                ]
                let expected = (0..<3000).map { i in
                    let tuple = keys.map { $0[i] }
                    if let g = seen[tuple] { return g }
                    let g = UInt32(seen.count)
                    seen[tuple] = g
                    return g
                }
                #expect(numbering.groups(keys, rows: 3000) == expected)
            }
            #expect(numbering.count == seen.count)
        }
    }

    @Test("a first key whose ids grow (rows sorted by it) widens in place: earlier groups are found again")
    func packedFirstKeyGrows() {
        var numbering = GroupNumbering(keyCount: 3)
        var seen: [[UInt32]: UInt32] = [:]
        var rng = SplitMix64(seed: 9)
        for batch in 0..<12 {
            // The first key reaches 2^(batch + 2) ids; every batch also repeats earlier combinations.
            let top = UInt64(4 << batch)
            let keys: [[UInt32]] = [
                (0..<2000).map { _ in UInt32(rng.next() % top) },
                (0..<2000).map { _ in UInt32(rng.next() % 3) },
                (0..<2000).map { _ in UInt32(rng.next() % 40) },
            ]
            let expected = (0..<2000).map { i in
                let tuple = keys.map { $0[i] }
                if let g = seen[tuple] { return g }
                let g = UInt32(seen.count)
                seen[tuple] = g
                return g
            }
            #expect(numbering.groups(keys, rows: 2000) == expected, "batch \(batch)")
        }
        #expect(numbering.count == seen.count)
    }
}
