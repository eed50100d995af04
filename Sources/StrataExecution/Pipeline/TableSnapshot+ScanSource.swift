import StrataCore
import StrataStorage

extension TableSnapshot {
    /// The segments as the pipeline's scans read them.
    package var scanSource: ScanSource {
        return ScanSource(table: spec.name, columns: spec.storedColumns, entries: entries) { index throws(StrataError) in
            try self.reader(index)
        }
    }
}
