import Foundation
import StrataCore
import StrataStorage
import Testing

@Suite("Damaged table dictionary files")
struct TableDictionaryDamageTests {
    /// A dictionary file of three chunks (7 entries), all published.
    static func cleanFile(at path: String) throws -> [String] {
        let dictionary = try TableDictionary(path: path, committedCount: 0)
        for batch in [["u1", "u22", ""], ["é", "u1", "u333"], ["x", "y"]] {
            _ = dictionary.encode(batch)
            try dictionary.persist(sync: false)
        }
        return dictionary.snapshot().values
    }

    @Test("every flipped byte and every truncation opens with the same entries or throws corruption naming the file")
    func sweep() throws {
        let path = TableDictionaryTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let values = try Self.cleanFile(at: path)
        let clean = try Data(contentsOf: URL(fileURLWithPath: path))
        var variants: [(String, Data)] = []
        for i in clean.indices {
            for bit in [0, 7] {
                var bytes = clean
                bytes[i] ^= 1 << bit
                variants.append(("bit \(bit) of byte \(i)", bytes))
            }
        }
        for length in 0..<clean.count { variants.append(("cut at \(length)", clean.prefix(length))) }
        var harmless = 0
        var errors = 0
        for (what, bytes) in variants {
            try bytes.write(to: URL(fileURLWithPath: path))
            do {
                let opened = try TableDictionary(path: path, committedCount: values.count)
                #expect(opened.snapshot().values == values, "\(what): a different answer without an error")
                harmless += 1
            } catch {
                #expect(error.code == .corruption && error.location?.file == path, "\(what): \(error)")
                errors += 1
            }
        }
        print("TableDictionaryDamageTests.sweep: \(harmless) harmless, \(errors) errors")
        #expect(errors > 0)
    }

    @Test("a stand-in for a damaged dictionary refuses to persist and reports the file")
    func standIn() {
        let error = StrataError(.corruption, "table dictionary: bad header", location: .init(file: "/d/u.dict"))
        let standIn = TableDictionary(damaged: error)
        #expect(standIn.damage == error)
        #expect(standIn.path == "/d/u.dict")
        #expect(throws: error) { try standIn.persist() }
    }
}
