import PropertyBased
import StrataCore
import StrataStorage
import StrataTestSupport
import Testing

/// Random stored columns of every type, with a chosen null pattern.
struct RandomColumns {
    var columns: [StoredColumn]
    var data: [ColumnData]

    enum Nulls: CaseIterable { case none, some, all }

    init(rows: Int, codec: Codec, nulls: Nulls, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        func validity() -> Bitset? {
            switch nulls {
            case .none: return nil
            case .all: return Bitset(count: rows, value: false)
            case .some:
                var v = Bitset(count: rows, value: true)
                for i in 0..<rows where rng.next() % 5 == 0 { v[i] = false }
                return v
            }
        }
        var time = (0..<rows).map { _ in Int64.random(in: 0..<86_400_000, using: &rng) }
        time.sort()
        let wide = (0..<rows).map { _ in Int64(bitPattern: rng.next()) }
        let narrow = (0..<rows).map { _ in Int64.random(in: -3...3, using: &rng) }
        let doubles = (0..<rows).map { i in i % 11 == 0 ? Double.nan : Double(bitPattern: rng.next() >> 2) }
        let bools = (0..<rows).map { _ in Bool.random(using: &rng) }
        let dictionary = (0..<Int.random(in: 1...300, using: &rng)).map { "v\($0)-é" }
        let codes = (0..<rows).map { _ in UInt32.random(in: 0..<UInt32(dictionary.count), using: &rng) }
        columns = [
            StoredColumn(name: "ts", type: .timestamp, role: .time, nullable: false, codec: codec),
            StoredColumn(name: "wide", type: .int64, role: .metric, nullable: true, codec: codec),
            StoredColumn(name: "narrow", type: .int64, role: .dimension, nullable: true, codec: codec),
            StoredColumn(name: "d", type: .double, role: .metric, nullable: true, codec: codec),
            StoredColumn(name: "b", type: .bool, role: .dimension, nullable: true, codec: codec),
            StoredColumn(name: "s", type: .string, role: .dimension, nullable: true, codec: codec, bitmapIndex: true),
        ]
        data = [
            .int64(time, validity: nil), .int64(wide, validity: validity()), .int64(narrow, validity: validity()),
            .double(doubles, validity: validity()), .bool(bools, validity: validity()),
            ColumnData.string(dictionary: dictionary, codes: codes, validity: validity()).sortedDictionary(),
        ]
    }

    func write(blockRowCount: Int) -> [UInt8] {
        SegmentWriter(blockRowCount: blockRowCount).write(
            columns: columns, data: data, chunk: 0..<86_400_000, rollupGranularity: nil)
    }
}

/// Reads every row of every column back as boxed values.
func readAll(_ reader: SegmentReader) throws -> [[Value]] {
    var columns: [[Value]] = []
    for (c, descriptor) in reader.columns.enumerated() {
        var values: [Value] = []
        for b in 0..<reader.blockCount {
            let data = try reader.columnBlock(column: c, block: b)
            values += (0..<data.count).map { data.value(at: $0, type: descriptor.column.type) }
        }
        columns.append(values)
    }
    return columns
}

func boxed(_ columns: RandomColumns) -> [[Value]] {
    zip(columns.columns, columns.data).map { column, data in
        (0..<data.count).map { data.value(at: $0, type: column.type) }
    }
}

/// NaN-aware equality of boxed values.
func same(_ a: [[Value]], _ b: [[Value]]) -> Bool {
    a.count == b.count
        && zip(a, b).allSatisfy { x, y in
            x.count == y.count
                && zip(x, y).allSatisfy { u, v in
                    if case .double(let p) = u, case .double(let q) = v { return p == q || (p.isNaN && q.isNaN) }
                    return u == v
                }
        }
}

@Suite("Segments")
struct SegmentTests {
    @Test("random columns of every type, codec and null pattern round-trip through a segment")
    func roundTrip() async throws {
        await propertyCheck(
            count: 60, input: Gen.int(in: 0...3000), Gen.int(in: 0...2), Gen.int(in: 0...2), Gen.int(in: 0...Int.max)
        ) { rows, codecIndex, nullIndex, seed in
            let columns = RandomColumns(
                rows: rows, codec: Codec.allCases[codecIndex], nulls: RandomColumns.Nulls.allCases[nullIndex],
                seed: UInt64(seed))
            let bytes = columns.write(blockRowCount: 256)
            let reader = try #require(try? SegmentReader(bytes: SegmentBytes(copying: bytes), name: "mem.seg"))
            #expect(reader.rowCount == rows)
            #expect(reader.blockCount == (rows + 255) / 256)
            let read = try #require(try? readAll(reader))
            #expect(same(read, boxed(columns)))
        }
    }

    @Test("zone maps bound every block's non-null values")
    func zoneMaps() throws {
        let columns = RandomColumns(rows: 2000, codec: .lz4, nulls: .some, seed: 3)
        let reader = try SegmentReader(bytes: SegmentBytes(copying: columns.write(blockRowCount: 128)), name: "z")
        for b in 0..<reader.blockCount {
            let block = reader.columns[1].blocks[b]
            let (values, validity) = try reader.int64Block(column: 1, block: b)
            let present = values.indices.filter { validity?[$0] ?? true }.map { values[$0] }
            #expect(block.hasRange == !present.isEmpty)
            if let lo = present.min(), let hi = present.max() {
                #expect(block.minInt == lo && block.maxInt == hi)
            }
            #expect(Int(block.nullCount) == values.count - present.count)
        }
    }

    @Test("each bitmap holds exactly the rows of its dictionary value")
    func bitmapIndex() throws {
        let columns = RandomColumns(rows: 5000, codec: .zstd, nulls: .some, seed: 11)
        let reader = try SegmentReader(bytes: SegmentBytes(copying: columns.write(blockRowCount: 512)), name: "b")
        let c = try #require(reader.footer.columnIndex(named: "s"))
        let dictionary = try reader.dictionary(column: c)
        guard case .string(let expected, let codes, let validity) = columns.data[c] else {
            Issue.record("not a string column")
            return
        }
        #expect(dictionary.values == expected)
        #expect(zip(expected, expected.dropFirst()).allSatisfy { StringOrder.less($0, $1) })
        var union = RoaringBitmap()
        for code in 0..<dictionary.count {
            let rows = try reader.bitmap(column: c, code: code)
            let expectedRows = codes.indices.filter { (validity?[$0] ?? true) && codes[$0] == UInt32(code) }
            #expect(rows.toArray() == expectedRows.map { UInt32($0) })
            union.formUnion(rows)
            #expect(dictionary.code(of: dictionary[code]) == code)
        }
        #expect(union.count == (0..<5000).filter { validity?[$0] ?? true }.count)
        #expect(dictionary.code(of: "nope") == nil)
        #expect(dictionary.codes(withPrefix: "v1").count == dictionary.values.filter { $0.hasPrefix("v1") }.count)
    }

    @Test("a flipped byte in a block is a corruption error naming the file and block; other blocks still read")
    func corruptBlock() throws {
        let columns = RandomColumns(rows: 4096, codec: .lz4, nulls: .some, seed: 5)
        let clean = columns.write(blockRowCount: 1024)
        let reader = try SegmentReader(bytes: SegmentBytes(copying: clean), name: "x.seg")
        let target = reader.columns[3].blocks[2]
        var bytes = clean
        bytes[Int(target.offset) + Int(target.storedLength) / 2] ^= 0x40
        let damaged = try SegmentReader(bytes: SegmentBytes(copying: bytes), name: "x.seg")
        #expect(throws: StrataError.self) { try damaged.columnBlock(column: 3, block: 2) }
        do {
            _ = try damaged.columnBlock(column: 3, block: 2)
        } catch {
            #expect(error.code == .corruption)
            #expect(error.location?.file == "x.seg")
            #expect(error.location?.block == 2)
            #expect(error.description.contains("x.seg"))
        }
        for block in [0, 1, 3] { _ = try damaged.columnBlock(column: 3, block: block) }
        _ = try damaged.columnBlock(column: 1, block: 2)
    }

    @Test("a damaged footer, header or truncated file is detected when opening")
    func corruptFooter() throws {
        let clean = RandomColumns(rows: 300, codec: .none, nulls: .none, seed: 9).write(blockRowCount: 128)
        var footer = clean
        footer[footer.count - 40] ^= 1
        var header = clean
        header[0] = 0
        let truncated = Array(clean.prefix(clean.count - 10))
        for bytes in [footer, header, truncated, []] {
            #expect(throws: StrataError.self) { try SegmentReader(bytes: SegmentBytes(copying: bytes), name: "f.seg") }
        }
    }
}
