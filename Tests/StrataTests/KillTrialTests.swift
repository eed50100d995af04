import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills `strata append-loop` at random points of small appends, direct segment writes (as ingest
/// does), head flushes and compactions, trial after trial on the same databases, and checks after
/// each kill that every append acknowledged in any trial so far is stored whole and nothing partial.
@Suite("Kill -9 trials")
struct KillTrialTests {
    /// Trials per run: `STRATA_KILL_TRIALS` (CI runs 100), default 16.
    static let trials = ProcessInfo.processInfo.environment["STRATA_KILL_TRIALS"].flatMap(Int.init) ?? 16

    @Test(
        "SIGKILL at random points of appends, direct writes, flushes and compactions loses and splits nothing",
        .enabled(
            if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built next to the tests"))
    func killTrials() throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["STRATA_KILL_SEED"].flatMap(UInt64.init) ?? 20_261_205)
        print("kill trials: \(Self.trials), seed \(seed) (STRATA_KILL_TRIALS, STRATA_KILL_SEED)")
        var rng = SplitMix64(seed: seed)
        let databases = [TestDirectory(), TestDirectory(), TestDirectory()]
        var acknowledged: [[String: Int]] = Array(repeating: [:], count: databases.count)
        var stored: [(segments: Int, batches: Int)] = Array(repeating: (0, 0), count: databases.count)
        for trial in 0..<Self.trials {
            let d = Int(rng.next() % UInt64(databases.count))
            let waitFor = 1 + Int(rng.next() % 60)
            let durability = rng.next() % 3 == 0 ? "buffered" : "fsync"
            let arguments = [
                "append-loop", "--db", databases[d].path, "--rows", "\(1 + rng.next() % 12)",
                "--threads", "\(1 + rng.next() % 3)", "--durability", durability,
                "--head-rows", "\(20 + rng.next() % 80)", "--direct-rows", "\(64 + rng.next() % 64)",
                "--compact-segments", "\(2 + rng.next() % 3)", "--large-every", "\(3 + rng.next() % 6)",
            ]
            let context =
                "trial \(trial) (seed \(seed)): kill after \(waitFor) acks of \(arguments.joined(separator: " "))"
            let acks = try Self.runAndKill(arguments, afterAcks: waitFor)
            for (id, rows) in acks { acknowledged[d][id] = rows }

            let db = try Database.open(at: databases[d].path)
            guard db.tableNames.contains("appends") else {
                #expect(acknowledged[d].isEmpty, "\(context): table missing")
                try db.close()
                continue
            }
            let counts = try AppendFixture.counts(db.table(named: "appends").snapshot())
            let missing = acknowledged[d].filter { counts[$0.key] != $0.value }
            #expect(missing.isEmpty, "\(context): acknowledged but not stored whole: \(missing.prefix(3))")
            // A batch is stored whole or not at all (unacknowledged ones may be either).
            let partial = counts.filter { count in
                acknowledged[d][count.key].map { $0 != count.value } ?? false
            }
            #expect(partial.isEmpty, "\(context): partly stored: \(partial.prefix(3))")
            #expect(db.verify().isEmpty, "\(context)")
            stored[d] = (try db.table(named: "appends").segments.filter { !$0.isHead }.count, counts.count)
            // Unacknowledged batches that made it are acknowledged now: later trials must keep them.
            for (id, n) in counts where acknowledged[d][id] == nil { acknowledged[d][id] = n }
            try db.close()
        }
        print("kill trials: stored segments and batches per database: \(stored)")
    }

    /// Runs `strata` until it has acknowledged `afterAcks` appends (or exited), kills it, and returns the
    /// acknowledged batch ids with their row counts.
    static func runAndKill(_ arguments: [String], afterAcks: Int) throws -> [(String, Int)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: IngestRoundTripTests.strataExecutable!)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var output = Data()
        while output.count(where: { $0 == UInt8(ascii: "\n") }) < afterAcks {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += chunk
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        output += pipe.fileHandleForReading.readDataToEndOfFile()
        // The last line may be cut by the kill: only whole lines count.
        if let cut = output.lastIndex(of: UInt8(ascii: "\n")) { output = output[...cut] } else { output = Data() }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "ack", let rows = Int(parts[2]) else { return nil }
            return (String(parts[1]), rows)
        }
    }
}
