import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Synchronization
import Testing

/// Runs `bodies` on their own threads (not a pool sized to the cores) and waits for all.
func runOnThreads(_ bodies: [@Sendable () -> Void]) {
    let group = DispatchGroup()
    for body in bodies {
        group.enter()
        Thread {
            body()
            group.leave()
        }.start()
    }
    group.wait()
}

/// State shared by the threads of a test.
final class Shared: Sendable {
    let finished = Atomic<Int>(0)
    let reads = Atomic<Int>(0)
    let problems = Mutex<[String]>([])
}

@Suite("Concurrent appends and reads")
struct ConcurrentAppendTests {
    @Test("threads append while others query, flush and compact: no partial batch is ever seen; totals are exact")
    func appendersAndReaders() throws {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path, options: AppendFixture.options(headRowLimit: 1_500))
        let table = try db.createTable(AppendFixture.spec)
        let writers = 6
        let perWriter = 40
        let rows = 9
        let shared = Shared()
        let finished = shared
        let reads = shared
        @Sendable func record(_ problem: String) { shared.problems.withLock { $0.append(problem) } }
        var bodies: [@Sendable () -> Void] = []
        for w in 0..<writers {
            bodies.append {
                for n in 0..<perWriter {
                    do {
                        try table.append(
                            AppendFixture.batch(id: "w\(w)-\(n)", rows: rows, thread: w, firstDay: n % 3, days: 2))
                    } catch {
                        record("append failed: \(error)")
                    }
                }
                finished.finished.add(1, ordering: .sequentiallyConsistent)
            }
        }
        for _ in 0..<2 {
            bodies.append {
                var seen: Set<String> = []
                while finished.finished.load(ordering: .sequentiallyConsistent) < writers {
                    do {
                        let snapshot = table.snapshot()
                        let counts = try AppendFixture.counts(snapshot)
                        for (id, n) in counts where n != rows { record("batch \(id) seen with \(n) rows") }
                        // A batch once seen stays visible (a flush never hides it, never doubles it).
                        for id in seen where counts[id] == nil { record("batch \(id) disappeared") }
                        seen.formUnion(counts.keys)
                        let scanned = try snapshot.scan(columns: ["batch"]).rows.count
                        if scanned != counts.values.reduce(0, +) { record("scan and query disagree in one snapshot") }
                        reads.reads.add(1, ordering: .relaxed)
                    } catch {
                        record("read failed: \(error)")
                    }
                }
            }
        }
        bodies.append {
            while finished.finished.load(ordering: .sequentiallyConsistent) < writers {
                do {
                    try table.flush()
                    try table.compact()
                } catch {
                    record("maintenance failed: \(error)")
                }
                usleep(2_000)
            }
        }
        runOnThreads(bodies)
        let problems = shared.problems.withLock { $0 }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(reads.reads.load(ordering: .relaxed) > 0)
        let counts = try AppendFixture.counts(table.snapshot())
        #expect(counts.count == writers * perWriter && counts.values.allSatisfy { $0 == rows })
        let stats = db.statistics
        #expect(stats.logAppends == writers * perWriter)
        // Group commit: concurrent appenders share syncs.
        #expect(stats.logSyncs < stats.logAppends, "\(stats)")
        try db.close()
        let reopened = try Database.open(at: dir.path, options: AppendFixture.options())
        #expect(try AppendFixture.counts(reopened.table(named: "appends").snapshot()) == counts)
    }

    @Test("a snapshot answers the same while appends, flushes and compactions go on")
    func snapshotIsStable() throws {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path, options: AppendFixture.options())
        let table = try db.createTable(AppendFixture.spec)
        for i in 0..<10 { try table.append(AppendFixture.batch(id: "a\(i)", rows: 5, firstDay: i % 2)) }
        try table.flush()
        for i in 0..<10 { try table.append(AppendFixture.batch(id: "b\(i)", rows: 5, firstDay: i % 2)) }
        let snapshot = table.snapshot()
        let before = try AppendFixture.counts(snapshot)
        let rows = try snapshot.scan().rows
        #expect(before.count == 20)
        try table.flush()
        try table.compact()
        for i in 0..<10 { try table.append(AppendFixture.batch(id: "c\(i)", rows: 5)) }
        try table.flush()
        try table.compact()
        #expect(try AppendFixture.counts(snapshot) == before)
        #expect(try snapshot.scan().rows == rows)
        #expect(try AppendFixture.counts(table.snapshot()).count == 30)
    }

    @Test("appends from many tasks at once in buffered mode are all kept")
    func tasksBuffered() async throws {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path, options: AppendFixture.options(durability: .buffered))
        let table = try db.createTable(AppendFixture.spec)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for n in 0..<20 { try table.append(AppendFixture.batch(id: "t\(t)-\(n)", rows: 3)) }
                }
            }
            try await group.waitForAll()
        }
        #expect(db.statistics.logSyncs == 0)  // buffered: no sync per append
        let counts = try AppendFixture.counts(table.snapshot())
        #expect(counts.count == 160 && counts.values.allSatisfy { $0 == 3 })
    }
}
