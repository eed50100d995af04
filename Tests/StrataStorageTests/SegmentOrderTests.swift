import PropertyBased
import StrataCore
import StrataStorage
import StrataTestSupport
import Testing

@Suite("Segment row order")
struct SegmentOrderTests {
    @Test("packed-key sorting gives exactly the comparator's order, at every time granularity")
    func packedMatchesComparator() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...3000), Gen.int(in: 0...4), Gen.int(in: 0...Int.max)) {
            rows, g, seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let granularity = QueryGranularity.allCases[g]
            // Few distinct times, so ties on time exercise the key columns and arrival order.
            let times = (0..<rows).map { _ in Int64.random(in: 0..<50, using: &rng) * 900_000 }
            let words = ["b", "a", "c", "dd"]
            let codes = (0..<rows).map { _ in UInt32.random(in: 0..<4, using: &rng) }
            var validity = Bitset(count: rows, value: true)
            for i in 0..<rows where rng.next() % 7 == 0 { validity[i] = false }
            let flags = (0..<rows).map { _ in Bool.random(using: &rng) }
            let data: [ColumnData] = [
                .int64(times, validity: nil),
                ColumnData.string(dictionary: words, codes: codes, validity: validity).sortedDictionary(),
                .bool(flags, validity: nil),
            ]
            let packed = SegmentBuilder.packedSortPermutation(data: data, granularity: granularity, keyColumns: [1, 2])
            let compared = SegmentBuilder.sortPermutation(data: data, granularity: granularity, keyColumns: [1, 2])
            #expect(packed == compared)
        }
    }
}
