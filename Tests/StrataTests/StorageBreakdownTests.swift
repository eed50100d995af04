import Strata
import StrataCore
import StrataTestSupport
import Testing

@Suite("Table.storageBreakdown")
struct StorageBreakdownTests {
    @Test("column regions plus overhead add up to the segment files, one entry per stored column")
    func addsUp() throws {
        let spec = RandomTable.spec(codec: .lz4)
        let db = Database.inMemory()
        let table = try db.createTable(spec)
        try table.append(RandomTable.batch(rows: 3000, days: 3, seed: 7))
        let breakdown = try table.storageBreakdown()
        #expect(breakdown.columns.map(\.name) == spec.storedColumns.map(\.name))
        #expect(breakdown.segmentCount == table.segments.count)
        #expect(breakdown.segmentBytes == table.segments.reduce(0) { $0 + $1.sizeBytes })
        #expect(breakdown.overheadBytes > 0)
        #expect(breakdown.columns.allSatisfy { $0.blockBytes > 0 })
        for column in breakdown.columns where column.type != .string {
            #expect(column.dictionaryBytes == 0 && column.bitmapIndexBytes == 0)
        }
    }

    @Test("an empty table has no segments and no bytes")
    func empty() throws {
        let table = try Database.inMemory().createTable(RandomTable.spec(codec: .none))
        let breakdown = try table.storageBreakdown()
        #expect(breakdown.segmentCount == 0 && breakdown.segmentBytes == 0 && breakdown.overheadBytes == 0)
    }
}
