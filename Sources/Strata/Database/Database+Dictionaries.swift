import StrataCore
import StrataStorage
import Synchronization

/// Table dictionaries: one per string dimension declared with `"dictionary": "table"`. Their files
/// live in `dictionaries/<table>/<column>.dict`; the catalog records how many entries each has
/// published, and every publication persists them first.
extension Database {
    /// Opens (or creates) a table's dictionaries at their published counts.
    func openDictionaries(of entry: TableEntry) throws(StrataError) {
        let columns = entry.spec.storedColumns.filter(\.tableDictionary)
        guard !columns.isEmpty else { return }
        var opened: [String: TableDictionary] = [:]
        for column in columns {
            if let path {
                let directory = path + "/dictionaries/" + entry.spec.name.lowercased()
                if mode == .readWrite { try FileSystem.createDirectory(directory) }
                opened[column.name] = try TableDictionary(
                    path: directory + "/" + column.name + ".dict",
                    committedCount: entry.dictionaryCounts?[column.name] ?? 0, readOnly: mode == .readOnly)
            } else {
                opened[column.name] = TableDictionary()
            }
        }
        let key = entry.spec.name.lowercased()
        tableDictionaries.withLock { $0[key] = opened }
    }

    func removeDictionaries(of table: String) {
        let key = table.lowercased()
        tableDictionaries.withLock { $0[key] = nil }
        // Only `<column>.dict` files: a foreign file or a symbolic link in the directory stays.
        if let path { FileSystem.removeOwnFiles(in: path + "/dictionaries/" + key) { $0.hasSuffix(".dict") } }
    }

    /// Persists every dictionary's new entries and records the counts in `catalog`.
    func persistDictionaries(into catalog: inout Catalog) throws(StrataError) {
        let all = tableDictionaries.withLock { $0 }
        for index in catalog.tables.indices {
            guard let dictionaries = all[catalog.tables[index].spec.name.lowercased()] else { continue }
            var counts: [String: Int] = [:]
            for (column, dictionary) in dictionaries {
                counts[column] = try dictionary.persist(sync: options.synchronous)
            }
            catalog.tables[index].dictionaryCounts = counts
        }
    }

    /// Resolves a table's dictionaries for its segment readers.
    func tableDictionaryResolver(_ table: String) -> (@Sendable (String) -> StringDictionary?)? {
        let dictionaries = tableDictionaries.withLock { $0[table.lowercased()] }
        guard let dictionaries else { return nil }
        return { column in dictionaries[column]?.snapshot() }
    }

    /// The resolver for a stored segment (`segments/<table>/<number>.seg`).
    func tableDictionaryResolver(forSegmentFile file: String) -> (@Sendable (String) -> StringDictionary?)? {
        let parts = file.split(separator: "/")
        guard parts.count >= 2 else { return nil }
        return tableDictionaryResolver(String(parts[1]))
    }

    /// Input columns made ready for ``SegmentBuilder``: string columns with a table dictionary get
    /// table-wide codes (adding new values), then rows become rollup states.
    func initialStates(spec: TableSpec, input: [ColumnData]) -> [ColumnData] {
        guard let dictionaries = tableDictionaries.withLock({ $0[spec.name.lowercased()] }) else {
            return SegmentBuilder.initialStates(spec: spec, input: input)
        }
        let encoded = zip(spec.inputColumns, input).map { column, data -> ColumnData in
            guard let dictionary = dictionaries[column.name],
                case .string(let local, let codes, let validity) = data, !local.isEmpty
            else { return data }
            let global = dictionary.encode(local)
            return .string(dictionary: [], codes: codes.map { global[Int($0)] }, validity: validity)
        }
        return SegmentBuilder.initialStates(spec: spec, input: encoded)
    }
}
