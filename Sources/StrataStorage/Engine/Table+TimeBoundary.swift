import StrataCore

extension Table {
    /// The smallest and largest timestamp stored, or `nil` for an empty table or one without time.
    public var timeBoundary: ClosedRange<Int64>? {
        guard spec.hasTime else { return nil }
        let segments = self.segments
        guard let lo = segments.map(\.timeRange.lowerBound).min(), let hi = segments.map(\.timeRange.upperBound).max()
        else { return nil }
        return lo...hi
    }
}
