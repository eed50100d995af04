import Foundation
import StrataCore
import Testing

@testable import StrataDatasets

/// One generated dataset shared by the distribution tests (50 000 rows, 2 000 users).
private enum Fixture {
    static let rows = 50_000
    static let dataset = try! EventsDataset(rows: rows, seed: 7)
    static let generator = dataset.makeGenerator()
    static let batches: [EventsBatch] = (0..<EventsDataset.dayCount).map { generator.batch(dayIndex: $0) }
    static let all: [EventsDataset.Row] = batches.flatMap { batch in (0..<batch.count).map { batch.row(at: $0) } }

    static func share(_ predicate: (EventsDataset.Row) -> Bool) -> Double {
        Double(all.count(where: predicate)) / Double(all.count)
    }
}

@Suite("events dataset generator")
struct EventsDatasetTests {
    // MARK: Determinism and shape

    @Test("the same rows and seed give the same bytes; another seed gives other bytes")
    func determinism() throws {
        let first = try EventsDataset(rows: 20_000, seed: 42).makeGenerator()
        let second = try EventsDataset(rows: 20_000, seed: 42).makeGenerator()
        let other = try EventsDataset(rows: 20_000, seed: 43).makeGenerator()
        var differing = 0
        for day in 0..<EventsDataset.dayCount {
            let bytes = first.csv(dayIndex: day)
            #expect(bytes == second.csv(dayIndex: day), "day \(day) differs between two runs")
            if bytes != other.csv(dayIndex: day) { differing += 1 }
        }
        #expect(differing == EventsDataset.dayCount)
    }

    @Test("a known seed keeps producing the same first rows (golden check across machines)")
    func golden() throws {
        let generator = try EventsDataset(rows: 10_000, seed: 42).makeGenerator()
        let text = String(decoding: generator.csv(dayIndex: 0), as: UTF8.self)
        let lines = text.split(separator: "\n").prefix(2).map(String.init)
        #expect(lines[0] == EventsDataset.csvHeader)
        // Pinned from the first run: any change here changes every benchmark number.
        let golden = "2026-10-01 00:00:19.559,u33444009,notification_sent,exp_031,control,US,ios,5.9.0,0.00,58,false"
        #expect(lines[1] == golden)
    }

    @Test("row counts are exact for any size", arguments: [0, 1, 24, 25, 1_001, 33_333])
    func rowCount(rows: Int) throws {
        let dataset = try EventsDataset(rows: rows, seed: 1)
        let generator = dataset.makeGenerator()
        var total = 0
        for day in 0..<EventsDataset.dayCount {
            let count = generator.batch(dayIndex: day).count
            #expect(count == dataset.rowRange(dayIndex: day).count)
            total += count
        }
        #expect(total == rows)
        #expect(dataset.userCount == (rows == 0 ? 0 : max(1, rows / 25)))
    }

    @Test("out-of-range row counts are an invalidArgument error")
    func invalidRows() {
        #expect(throws: StrataError.self) { try EventsDataset(rows: -1, seed: 1) }
        #expect(throws: StrataError.self) { try EventsDataset(rows: EventsDataset.maxRows + 1, seed: 1) }
    }

    @Test("file names are events-YYYY-MM-DD.csv for the 30 days from 2026-10-01")
    func fileNames() {
        #expect(EventsDataset.fileName(dayIndex: 0) == "events-2026-10-01.csv")
        #expect(EventsDataset.fileName(dayIndex: 29) == "events-2026-10-30.csv")
        #expect(EventsDataset.firstDayMillis == 1_790_812_800_000)
        #expect(EventsDataset.isWeekend(dayIndex: 2) && EventsDataset.isWeekend(dayIndex: 3))
        #expect(!EventsDataset.isWeekend(dayIndex: 0) && !EventsDataset.isWeekend(dayIndex: 4))
    }

    @Test("writeCSV writes 30 files with the header, every row's date matching its file name")
    func writtenFiles() throws {
        let directory = NSTemporaryDirectory() + "strata-events-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dataset = try EventsDataset(rows: 20_000, seed: 42)
        var progress: [Int] = []
        let summary = try dataset.writeCSV(to: directory + "/nested") { progress.append($0) }
        #expect(summary.files.count == 30)
        #expect(summary.rows == 20_000)
        #expect(progress.last == 20_000)
        let generator = dataset.makeGenerator()
        var lines = 0
        var bytes = 0
        for (day, path) in summary.files.enumerated() {
            #expect(path.hasSuffix("/" + EventsDataset.fileName(dayIndex: day)))
            let data = try #require(FileManager.default.contents(atPath: path))
            bytes += data.count
            #expect([UInt8](data) == generator.csv(dayIndex: day))
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.hasSuffix("\n"))
            let fileLines = text.split(separator: "\n")
            #expect(fileLines.first.map(String.init) == EventsDataset.csvHeader)
            let date = EventsDataset.dateText(dayIndex: day)
            for line in fileLines.dropFirst() {
                #expect(line.hasPrefix(date + " "), "\(line) in \(path)")
                #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == 11)
                lines += 1
            }
        }
        #expect(lines == 20_000)
        #expect(bytes == summary.bytes)
    }

    @Test("CSV lines format the batch rows exactly")
    func csvMatchesBatch() throws {
        let generator = Fixture.generator
        for day in [0, 13, 29] {
            let batch = Fixture.batches[day]
            let text = String(decoding: generator.csv(dayIndex: day), as: UTF8.self)
            let lines = text.split(separator: "\n").dropFirst().map(String.init)
            #expect(lines.count == batch.count)
            for index in stride(from: 0, to: batch.count, by: 97) {
                let row = batch.row(at: index)
                let cents = Int64((row.revenue * 100).rounded())
                let revenue = "\(cents / 100)." + (cents % 100 < 10 ? "0" : "") + "\(cents % 100)"
                let expected = [
                    row.timestampText, row.userId, row.event, row.experiment, row.variant, row.country,
                    row.platform, row.appVersion, revenue, String(row.latencyMs), row.isNewUser ? "true" : "false",
                ].joined(separator: ",")
                #expect(lines[index] == expected)
            }
        }
    }

    @Test("timestamps are sorted within and across days and fall inside their day")
    func sortedTimestamps() {
        var previous = Int64.min
        for (day, batch) in Fixture.batches.enumerated() {
            let start = EventsDataset.firstDayMillis + Int64(day) * 86_400_000
            for ts in batch.ts {
                #expect(ts >= previous)
                #expect(ts >= start && ts < start + 86_400_000)
                previous = ts
            }
        }
    }

    // MARK: Users

    @Test("there are exactly rows/25 distinct users, with ids u + 8 digits")
    func distinctUsers() {
        let users = Set(Fixture.all.map(\.userId))
        #expect(users.count == Fixture.rows / 25)
        #expect(
            users.allSatisfy { id in id.utf8.count == 9 && id.hasPrefix("u") && id.dropFirst().allSatisfy(\.isNumber) })
    }

    @Test("country, platform, app_version and is_new_user never change for a user")
    func fixedPerUser() {
        var seen: [String: [String]] = [:]
        for row in Fixture.all {
            let attributes = [row.country, row.platform, row.appVersion, String(row.isNewUser)]
            if let known = seen[row.userId] {
                #expect(known == attributes, "user \(row.userId)")
            } else {
                seen[row.userId] = attributes
            }
        }
        let users = Double(seen.count)
        let ios = Double(seen.values.count { $0[1] == "ios" }) / users
        let isNew = Double(seen.values.count { $0[3] == "true" }) / users
        let us = Double(seen.values.count { $0[0] == "US" }) / users
        let major5 = Double(seen.values.count { $0[2].hasPrefix("5.") }) / users
        #expect(abs(ios - 0.40) < 0.04)
        #expect(abs(isNew - 0.12) < 0.03)
        #expect(abs(us - 0.214) < 0.04)
        #expect(abs(major5 - 0.60) < 0.04)
        #expect(Set(seen.values.map { $0[0] }).count <= 60)
        #expect(Set(Fixture.all.map(\.appVersion)).count <= 40)
    }

    @Test("the top 1% of users hold about 30% of the rows")
    func skewedActivity() {
        var perUser: [String: Int] = [:]
        for row in Fixture.all { perUser[row.userId, default: 0] += 1 }
        let counts = perUser.values.sorted(by: >)
        let top = counts.prefix(max(1, counts.count / 100)).reduce(0, +)
        let share = Double(top) / Double(Fixture.rows)
        #expect(abs(share - 0.30) < 0.03, "top-1% share \(share)")
    }

    // MARK: Events, experiments, numbers

    @Test("the event mix follows events.md, with one exposure per (user, experiment)")
    func eventMix() {
        let exposure = Fixture.share { $0.event == "exposure" }
        #expect(exposure > 0.03 && exposure < 0.06, "exposure share \(exposure)")
        let expected: [String: Double] = [
            "page_view": 0.45, "click": 0.20, "search": 0.08, "notification_sent": 0.07, "add_to_cart": 0.04,
            "notification_open": 0.03, "logout": 0.03, "error": 0.025, "share": 0.02, "purchase": 0.015,
            "signup": 0.01,
        ]
        #expect(Set(Fixture.all.map(\.event)) == Set(expected.keys).union(["exposure"]))
        for (event, percent) in expected {
            let share = Fixture.share { $0.event == event }
            // Non-exposure events share the rows that are not exposures in events.md's proportions.
            let target = percent * (1 - exposure) / 0.97
            #expect(abs(share - target) < max(0.004, target * 0.1), "\(event): \(share) vs \(target)")
            #expect(abs(share - percent) < 0.012, "\(event): \(share) vs \(percent)")
        }
    }

    @Test("every (user, experiment) pair with rows has exactly one exposure row")
    func exposures() {
        var exposuresPerPair: [String: Int] = [:]
        for row in Fixture.all {
            let key = row.userId + "/" + row.experiment
            exposuresPerPair[key, default: 0] += row.event == "exposure" ? 1 : 0
        }
        #expect(exposuresPerPair.values.allSatisfy { $0 == 1 })
        #expect(exposuresPerPair.count == Fixture.generator.exposureCount)
    }

    @Test("experiments, memberships and variant sets follow events.md")
    func variants() {
        var variantsPerExperiment: [String: Set<String>] = [:]
        var usersPerExperiment: [String: Set<String>] = [:]
        var experimentsPerUser: [String: Set<String>] = [:]
        var variantOfPair: [String: String] = [:]
        for row in Fixture.all {
            variantsPerExperiment[row.experiment, default: []].insert(row.variant)
            usersPerExperiment[row.experiment, default: []].insert(row.userId)
            experimentsPerUser[row.userId, default: []].insert(row.experiment)
            let pair = row.userId + "/" + row.experiment
            #expect(variantOfPair[pair, default: row.variant] == row.variant)
            variantOfPair[pair] = row.variant
        }
        #expect(Set(variantsPerExperiment.keys) == Set(EventsVocabulary.experiments))
        for (experiment, variants) in variantsPerExperiment {
            let number = Int(experiment.dropFirst(4))!
            let expected: Set = number < 10 ? ["control", "treatment", "treatment_b"] : ["control", "treatment"]
            #expect(variants == expected, "\(experiment)")
        }
        let largest = usersPerExperiment.max { $0.value.count < $1.value.count }!.key
        #expect(largest == "exp_000")
        #expect(experimentsPerUser.values.allSatisfy { (1...4).contains($0.count) })
        #expect(experimentsPerUser.values.contains { $0.count == 4 })
    }

    @Test("revenue is 0 unless the event is a purchase, then positive cents with mean near 35")
    func revenue() {
        var purchases: [Double] = []
        for row in Fixture.all {
            if row.event == "purchase" {
                #expect(row.revenue > 0)
                #expect(Double(Int64((row.revenue * 100).rounded())) / 100 == row.revenue, "whole cents")
                purchases.append(row.revenue)
            } else {
                #expect(row.revenue == 0)
            }
        }
        let mean = purchases.reduce(0, +) / Double(purchases.count)
        #expect(mean > 30 && mean < 40, "mean purchase \(mean)")
    }

    @Test("latency has a median near 120 ms and a slow tail of about 3% up to 60 000 ms")
    func latency() {
        let latencies = Fixture.all.map(\.latencyMs).sorted()
        let median = latencies[latencies.count / 2]
        #expect(median >= 110 && median <= 135, "median \(median)")
        #expect(latencies.last! <= 60_000 && latencies.first! >= 1)
        let slow = Double(latencies.count { $0 >= 600 }) / Double(latencies.count)
        #expect(slow > 0.02 && slow < 0.045, "slow share \(slow)")
    }

    // MARK: Time shape

    @Test("weekend days have about 15% fewer rows than weekdays")
    func weekendRatio() {
        var weekend: [Int] = []
        var weekday: [Int] = []
        for (day, batch) in Fixture.batches.enumerated() {
            if EventsDataset.isWeekend(dayIndex: day) {
                weekend.append(batch.count)
            } else {
                weekday.append(batch.count)
            }
        }
        #expect(weekend.count == 8 && weekday.count == 22)
        let weekendMean = Double(weekend.reduce(0, +)) / Double(weekend.count)
        let ratio = weekendMean / (Double(weekday.reduce(0, +)) / Double(weekday.count))
        #expect(abs(ratio - 0.85) < 0.01, "ratio \(ratio)")
    }

    @Test("traffic peaks around 19:00 UTC and is lowest in the early morning")
    func diurnalCurve() {
        var perHour = [Int](repeating: 0, count: 24)
        for ts in Fixture.all.map(\.ts) { perHour[Int(ts % 86_400_000 / 3_600_000)] += 1 }
        let peak = perHour.indices.max { perHour[$0] < perHour[$1] }!
        let trough = perHour.indices.min { perHour[$0] < perHour[$1] }!
        #expect((18...20).contains(peak), "peak hour \(peak)")
        #expect((4...8).contains(trough), "quietest hour \(trough)")
        #expect(Double(perHour[peak]) > 3 * Double(perHour[trough]))
    }

    // MARK: Building blocks

    @Test("the portable math matches known values")
    func math() {
        #expect(abs(DatasetMath.exp(1) - 2.718_281_828_459_045) < 1e-14)
        #expect(abs(DatasetMath.log(10) - 2.302_585_092_994_046) < 1e-14)
        #expect(abs(DatasetMath.pow(2, 0.5) - 2.0.squareRoot()) < 1e-14)
        #expect(abs(DatasetMath.normalQuantile(0.975) - 1.959_963_984_540_054) < 1e-8)
        #expect(abs(DatasetMath.normalQuantile(0.001) + 3.090_232_306_167_813) < 1e-8)
        for x in [1e-300, 0.001, 0.5, 1, 3.7, 1e10, 1e300] {
            #expect(abs(DatasetMath.exp(DatasetMath.log(x)) / x - 1) < 1e-13)
        }
    }

    @Test("civil dates round-trip and format without Foundation")
    func calendar() {
        #expect(DatasetCalendar.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(DatasetCalendar.weekday(days: DatasetCalendar.daysFromCivil(year: 2026, month: 10, day: 1)) == 4)
        for days in stride(from: -1_000_000, to: 1_000_000, by: 997) {
            let (y, m, d) = DatasetCalendar.civilFromDays(days)
            #expect(DatasetCalendar.daysFromCivil(year: y, month: m, day: d) == days)
        }
        #expect(DatasetCalendar.timestampText(millis: 1_790_812_800_000 + 69_296_789) == "2026-10-01 19:14:56.789")
    }
}
