extension EventsDataset {
    /// The per-user attributes and the row plan of one dataset, computed once; generates any
    /// day's rows, as typed rows, a columnar ``EventsBatch`` or CSV bytes.
    ///
    /// Immutable after creation, so one generator can serve several threads.
    public final class Generator: Sendable {
        /// The dataset this generator produces.
        public let dataset: EventsDataset
        /// Start of each day's rows in global row order, plus the total.
        let dayOffsets: [Int]
        /// One entry per row in time order: `user << 3 | membershipSlot << 1 | isExposure`.
        let plan: [UInt32]
        /// The 8 ASCII digits of each user's id, first digit in the lowest byte.
        let userDigits: [UInt64]
        /// `country * 120 + platform * 40 + appVersion` per user.
        let userProfile: [UInt16]
        let userIsNew: [Bool]
        /// Up to 4 memberships per user, 16 bits each: `experiment | variant << 8`.
        let userMemberships: [UInt64]
        let userMembershipCount: [UInt8]
        /// Number of `exposure` rows (one per (user, experiment) pair with rows).
        public let exposureCount: Int

        /// The row-plan encoding: the low 3 bits hold the slot and the exposure flag.
        static let userShift: UInt32 = 3
        static let profilesPerCountry = 120
        static let profilesPerPlatform = 40

        init(_ dataset: EventsDataset) {
            self.dataset = dataset
            self.dayOffsets = dataset.dayOffsets()
            let userCount = dataset.userCount
            let seed = dataset.seed

            // Per-user attributes, one sequential stream.
            var random = DatasetRandom(seed: seed, stream: 1)
            let countryChoice = WeightedChoice(EventsVocabulary.countryWeights)
            let platformChoice = WeightedChoice(EventsVocabulary.platformWeights)
            let versionChoice = WeightedChoice(EventsVocabulary.appVersionWeights)
            let experimentChoice = WeightedChoice(EventsVocabulary.experimentWeights)
            let idOffset = random.next() % 100_000_000
            var digits = [UInt64](repeating: 0, count: userCount)
            var profile = [UInt16](repeating: 0, count: userCount)
            var isNew = [Bool](repeating: false, count: userCount)
            var memberships = [UInt64](repeating: 0, count: userCount)
            var membershipCount = [UInt8](repeating: 0, count: userCount)
            for user in 0..<userCount {
                // An affine bijection of 0 ..< 10^8 (the multiplier is prime to 10), so ids are distinct.
                let number = (UInt64(user) &* 73_939_133 &+ idOffset) % 100_000_000
                digits[user] = Generator.packDigits(number)
                let country = countryChoice.index(random.nextUnit())
                let platform = platformChoice.index(random.nextUnit())
                let version = versionChoice.index(random.nextUnit())
                profile[user] = UInt16(
                    country * Generator.profilesPerCountry + platform * Generator.profilesPerPlatform + version)
                isNew[user] = random.nextUnit() < EventsVocabulary.newUserShare
                let activity = (Double(user) + 0.5) / Double(userCount)  // 0 = busiest
                let count = activity < 0.01 ? 4 : activity < 0.03 ? 3 : activity < 0.08 ? 2 : 1
                var chosen: [Int] = []
                while chosen.count < count {
                    let experiment = experimentChoice.index(random.nextUnit())
                    if !chosen.contains(experiment) { chosen.append(experiment) }
                }
                var packed: UInt64 = 0
                for (slot, experiment) in chosen.enumerated() {
                    let variant = Generator.variant(userNumber: number, experiment: experiment)
                    packed |= (UInt64(experiment) | UInt64(variant) << 8) << (16 * UInt64(slot))
                }
                memberships[user] = packed
                membershipCount[user] = UInt8(count)
            }

            // Rows per user (busiest first), laid out then shuffled over the time-ordered slots.
            let rows = dataset.rows
            var plan = [UInt32](repeating: 0, count: rows)
            if userCount > 0 {
                let remaining = Double(rows - userCount)
                let q0 = 1e-4
                let beta = 0.172
                let low = DatasetMath.pow(q0, beta)
                let span = DatasetMath.pow(1 + q0, beta) - low
                var position = 0
                var previousBound = 0
                plan.withUnsafeMutableBufferPointer { plan in
                    for user in 0..<userCount {
                        var bound = rows - userCount
                        if user + 1 < userCount {
                            let q = Double(user + 1) / Double(userCount)
                            let share = (DatasetMath.pow(q + q0, beta) - low) / span
                            bound = min(rows - userCount, max(previousBound, Int((remaining * share).rounded(.down))))
                        }
                        let count = 1 + bound - previousBound
                        previousBound = bound
                        let entry = UInt32(user) << Generator.userShift
                        for index in position..<(position + count) { plan[index] = entry }
                        position += count
                    }
                    var shuffle = DatasetRandom(seed: seed, stream: 2)
                    var index = rows - 1
                    while index > 0 {
                        let other = shuffle.next(below: index + 1)
                        plan.swapAt(index, other)
                        index -= 1
                    }
                }
            }

            // Each row's experiment slot, then one exposure per (user, slot) pair that has rows, at a
            // uniformly chosen one of the pair's rows.
            var slots = DatasetRandom(seed: seed, stream: 3)
            var pairRows = [UInt32](repeating: 0, count: userCount * 4)
            var exposures = 0
            plan.withUnsafeMutableBufferPointer { plan in
                pairRows.withUnsafeMutableBufferPointer { pairRows in
                    membershipCount.withUnsafeBufferPointer { membershipCount in
                        for index in 0..<plan.count {
                            let user = Int(plan[index] >> Generator.userShift)
                            let count = Int(membershipCount[user])
                            let slot = count == 1 ? 0 : slots.next(below: count)
                            plan[index] |= UInt32(slot) << 1
                            pairRows[user * 4 + slot] += 1
                        }
                    }
                    // Which of its rows (0-based) is each pair's exposure; counted down below.
                    var chooser = DatasetRandom(seed: seed, stream: 4)
                    for pair in 0..<pairRows.count where pairRows[pair] > 0 {
                        pairRows[pair] = UInt32(chooser.next(below: Int(pairRows[pair])))
                        exposures += 1
                    }
                    for index in 0..<plan.count {
                        let pair = Int(plan[index] >> Generator.userShift) * 4 + Int(plan[index] >> 1 & 3)
                        let before = pairRows[pair]
                        if before == 0 { plan[index] |= 1 }
                        pairRows[pair] = before &- 1  // wraps after the exposure: never 0 again in range
                    }
                }
            }

            self.plan = plan
            self.userDigits = digits
            self.userProfile = profile
            self.userIsNew = isNew
            self.userMemberships = memberships
            self.userMembershipCount = membershipCount
            self.exposureCount = exposures
        }

        /// The variant of a user in an experiment: a stable hash of (user number, experiment),
        /// independent of the seed. Two arms, or three for exp_000 … exp_009.
        static func variant(userNumber: UInt64, experiment: Int) -> UInt8 {
            let hash = DatasetRandom.mix(userNumber &* 0x100 &+ UInt64(experiment) &+ 0x0123_4567_89AB_CDEF)
            let arms: UInt64 = experiment < EventsVocabulary.threeArmExperiments ? 3 : 2
            return UInt8(((hash >> 32) &* arms) >> 32)
        }

        /// 8 ASCII digits of `number` (< 10^8), first digit in the lowest byte.
        static func packDigits(_ number: UInt64) -> UInt64 {
            var packed: UInt64 = 0
            var rest = number
            for position in stride(from: 7, through: 0, by: -1) {
                packed |= (0x30 + rest % 10) << (8 * UInt64(position))
                rest /= 10
            }
            return packed
        }

        /// `u` + 8 digits of a user.
        func userIdText(_ user: Int) -> String {
            var packed = userDigits[user]
            var bytes: [UInt8] = [UInt8(ascii: "u")]
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: packed))
                packed >>= 8
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Number of rows of a day.
        public func rowCount(dayIndex: Int) -> Int {
            dayOffsets[dayIndex + 1] - dayOffsets[dayIndex]
        }

        /// A day's rows as typed values.
        ///
        /// - Complexity: O(rows of the day); allocates the strings of every row, so prefer
        ///   ``batch(dayIndex:)`` or ``csv(dayIndex:)`` for large days.
        public func rows(dayIndex: Int) -> [EventsDataset.Row] {
            let batch = self.batch(dayIndex: dayIndex)
            return (0..<batch.count).map { batch.row(at: $0) }
        }

        /// A day's rows as a columnar batch.
        ///
        /// - Complexity: O(rows of the day).
        public func batch(dayIndex: Int) -> EventsBatch {
            var cursor = DayCursor(self, dayIndex: dayIndex)
            var batch = EventsBatch(dayIndex: dayIndex, capacity: cursor.count)
            let events = EventsVocabulary.events
            let experiments = EventsVocabulary.experiments
            let variants = EventsVocabulary.variants
            let countries = EventsVocabulary.countries
            let platforms = EventsVocabulary.platforms
            let versions = EventsVocabulary.appVersions
            for _ in 0..<cursor.count {
                let row = cursor.next()
                let profile = Int(userProfile[row.user])
                batch.ts.append(row.ts)
                batch.userId.append(userIdText(row.user))
                batch.event.append(events[Int(row.event)])
                batch.experiment.append(experiments[Int(row.experiment)])
                batch.variant.append(variants[Int(row.variant)])
                batch.country.append(countries[profile / Generator.profilesPerCountry])
                batch.platform.append(
                    platforms[profile % Generator.profilesPerCountry / Generator.profilesPerPlatform])
                batch.appVersion.append(versions[profile % Generator.profilesPerPlatform])
                batch.revenue.append(Double(row.revenueCents) / 100)
                batch.latencyMs.append(row.latencyMs)
                batch.isNewUser.append(userIsNew[row.user])
            }
            return batch
        }
    }
}

/// One row in codes, before formatting.
struct EventsRawRow {
    var ts: Int64
    var user: Int
    var event: UInt8
    var experiment: UInt8
    var variant: UInt8
    var revenueCents: Int64
    var latencyMs: Int64
}

/// Walks one day's rows in time order. Every row draws the same random numbers whatever the
/// consumer, so typed rows, batches and CSV agree exactly.
struct DayCursor {
    let generator: EventsDataset.Generator
    let count: Int
    private let firstRow: Int
    private let dayStart: Int64
    private var index = 0
    private var minute = 0
    private var random: DatasetRandom
    private let cumulative = EventsVocabulary.minuteCumulative
    private let eventTable = EventsVocabulary.nonExposureEventTable
    private let latencyBody = EventsVocabulary.latencyBody
    private let latencyTail = EventsVocabulary.latencyTail
    private let revenue = EventsVocabulary.revenue

    init(_ generator: EventsDataset.Generator, dayIndex: Int) {
        precondition(dayIndex >= 0 && dayIndex < EventsDataset.dayCount, "day index out of range")
        self.generator = generator
        self.firstRow = generator.dayOffsets[dayIndex]
        self.count = generator.dayOffsets[dayIndex + 1] - firstRow
        self.dayStart = EventsDataset.firstDayMillis + Int64(dayIndex) * DatasetCalendar.millisPerDay
        self.random = DatasetRandom(seed: generator.dataset.seed, stream: 100 + UInt64(dayIndex))
    }

    /// The next row; call exactly `count` times.
    @inline(__always)
    mutating func next() -> EventsRawRow {
        // Time: the quantile (i + U) / n of the diurnal curve; increasing in i.
        let target = (Double(index) + random.nextUnit()) / Double(count)
        while minute < 1439 && cumulative[minute + 1] <= target { minute += 1 }
        let low = cumulative[minute]
        let width = cumulative[minute + 1] - low
        let offset = min(59_999, max(0, Int((target - low) / width * 60_000)))
        let ts = dayStart + Int64(minute * 60_000 + offset)

        let entry = generator.plan[firstRow + index]
        index += 1
        let user = Int(entry >> EventsDataset.Generator.userShift)
        let slot = UInt64(entry >> 1 & 3)
        let membership = generator.userMemberships[user] >> (16 * slot)
        let experiment = UInt8(truncatingIfNeeded: membership)
        let variant = UInt8(truncatingIfNeeded: membership >> 8)

        let eventBits = random.next()
        let event: UInt8
        if entry & 1 == 1 {
            event = EventsVocabulary.exposure
        } else {
            event = eventTable[Int(((eventBits >> 32) &* UInt64(eventTable.count)) >> 32)]
        }

        let latencyBits = random.next()
        var latency =
            latencyBits >> 32 < EventsVocabulary.latencyTailThreshold
            ? latencyTail[Int(latencyBits & 0xFFF)] : latencyBody[Int(latencyBits & 0xFFFF)]
        if variant == EventsVocabulary.treatmentB { latency *= EventsVocabulary.latencySlowdown }
        let latencyMs = min(60_000, max(1, Int64(latency.rounded())))

        var cents: Int64 = 0
        if event == EventsVocabulary.purchase {
            var amount = revenue[Int(random.next() >> 48)]
            if variant == EventsVocabulary.treatment && Int(experiment) < EventsVocabulary.revenueLiftExperiments {
                amount *= EventsVocabulary.revenueLift
            }
            cents = max(1, Int64((amount * 100).rounded()))
        }
        return EventsRawRow(
            ts: ts, user: user, event: event, experiment: experiment, variant: variant, revenueCents: cents,
            latencyMs: latencyMs)
    }
}
