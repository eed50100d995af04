import Foundation
import StrataCore
import StrataStorage
import Testing

@Suite("Table dictionaries")
struct TableDictionaryTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dict-\(UUID().uuidString).dict").path
    }

    @Test("codes are table-wide, in arrival order, and survive persisting and reopening")
    func roundTrip() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dictionary = try TableDictionary(path: path, committedCount: 0)
        #expect(dictionary.encode(["u2", "u1", "u2"]) == [0, 1, 0])
        #expect(try dictionary.persist() == 2)
        #expect(dictionary.encode(["u3", "u1", "é"]) == [2, 1, 3])
        #expect(try dictionary.persist() == 4)
        let snapshot = dictionary.snapshot()
        #expect(!snapshot.isSorted)
        #expect(snapshot.values == ["u2", "u1", "u3", "é"])
        #expect(snapshot.code(of: "u3") == 2)
        #expect(snapshot.code(of: "nope") == nil)

        // Reopened entries are indexed on the first lookup by bytes, then found like appended ones.
        let reopened = try TableDictionary(path: path, committedCount: 4)
        #expect(reopened.snapshot().values == ["u2", "u1", "u3", "é"])
        #expect(reopened.snapshot().code(of: "u3") == 2)
        #expect(reopened.snapshot().code(of: "nope") == nil)
        #expect(reopened.encode(["é", "new"]) == [3, 4])
        let again = try TableDictionary(path: path, committedCount: 4)
        #expect(again.encode(["u1", "x", "u2"]) == [1, 4, 0])
        #expect(again.snapshot().code(of: "x") == 4)
    }

    @Test("entries past the published count are dropped on open; a damaged chunk is corruption")
    func recovery() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dictionary = try TableDictionary(path: path, committedCount: 0)
        _ = dictionary.encode(["a", "b"])
        try dictionary.persist()
        _ = dictionary.encode(["c"])
        try dictionary.persist()  // written, but say the catalog never published it
        let reopened = try TableDictionary(path: path, committedCount: 2)
        #expect(reopened.snapshot().values == ["a", "b"])
        #expect(reopened.encode(["d"]) == [2])
        try reopened.persist()
        #expect(try TableDictionary(path: path, committedCount: 3).snapshot().values == ["a", "b", "d"])

        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[20] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: StrataError.self) { try TableDictionary(path: path, committedCount: 3) }
        #expect(throws: StrataError.self) { try TableDictionary(path: Self.temporaryPath(), committedCount: 1) }
    }
}
