import Foundation
import Strata
import StrataCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Appends killed mid-way")
struct AppendCrashTests {
    @Test(
        "SIGKILL during `strata append-loop`: every acknowledged append is present, none is partial",
        .enabled(
            if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built next to the tests"),
        arguments: ["fsync", "buffered"])
    func killMidAppends(durability: String) throws {
        let dir = TestDirectory()
        let rows = 10
        let process = Process()
        process.executableURL = URL(fileURLWithPath: IngestRoundTripTests.strataExecutable!)
        process.arguments = [
            "append-loop", "--db", dir.path, "--rows", "\(rows)", "--threads", "3", "--durability", durability,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var output = Data()
        func acks() -> [String] {
            String(decoding: output, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ack ") }
                .map { String($0.dropFirst(4).split(separator: " ")[0]) }
        }
        while acks().count < 150 {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += chunk
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        output += pipe.fileHandleForReading.readDataToEndOfFile()
        // The last line may be cut by the kill: only whole lines count.
        if let last = output.last, last != UInt8(ascii: "\n"), let cut = output.lastIndex(of: UInt8(ascii: "\n")) {
            output = output[...cut]
        }
        let acknowledged = Set(acks())
        #expect(acknowledged.count >= 150)

        let db = try Database.open(at: dir.path)
        let counts = try AppendFixture.counts(db.table(named: "appends").snapshot())
        let missing = acknowledged.filter { counts[$0] != rows }
        #expect(missing.isEmpty, "acknowledged but not stored whole: \(missing.prefix(5))")
        let partial = counts.filter { $0.value != rows }
        #expect(partial.isEmpty, "partly stored: \(partial.prefix(5))")
        #expect(db.verify().isEmpty)
    }
}
