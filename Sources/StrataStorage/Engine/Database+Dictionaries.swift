import StrataCore
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

    /// Opens a table's dictionaries when the database opens. A file that fails to open (damaged,
    /// truncated, unreadable) affects its table only: the table gets stand-ins that keep the error,
    /// and queries, appends and ``verify()`` on it throw that error (naming the file) while every
    /// other table works. The file is left as found; it is not persisted to again.
    func openDictionariesIsolatingDamage(of entry: TableEntry) {
        do {
            try openDictionaries(of: entry)
        } catch {
            let standIns = entry.spec.storedColumns.filter(\.tableDictionary).map {
                ($0.name, TableDictionary(damaged: error))
            }
            let key = entry.spec.name.lowercased()
            tableDictionaries.withLock { $0[key] = Dictionary(standIns) { first, _ in first } }
        }
    }

    /// The error of a table whose dictionary file failed to open, if any.
    func dictionaryDamage(of table: String) -> StrataError? {
        tableDictionaries.withLock { $0[table.lowercased()] }?.values.lazy.compactMap(\.damage).first
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
            // A damaged table keeps its published counts: it has nothing new to persist.
            guard let dictionaries = all[catalog.tables[index].spec.name.lowercased()],
                !dictionaries.values.contains(where: { $0.damage != nil })
            else { continue }
            var counts: [String: Int] = [:]
            for (column, dictionary) in dictionaries {
                counts[column] = try dictionary.persist(sync: options.synchronous)
            }
            catalog.tables[index].dictionaryCounts = counts
        }
    }

    /// Resolves a table's dictionaries for its segment readers (throwing a damaged one's error).
    func tableDictionaryResolver(_ table: String) -> (@Sendable (String) throws(StrataError) -> StringDictionary?)? {
        let dictionaries = tableDictionaries.withLock { $0[table.lowercased()] }
        guard let dictionaries else { return nil }
        return { column throws(StrataError) in
            guard let dictionary = dictionaries[column] else { return nil }
            if let damage = dictionary.damage { throw damage }
            return dictionary.snapshot()
        }
    }

    /// The resolver for a stored segment (`segments/<table>/<number>.seg`).
    func tableDictionaryResolver(
        forSegmentFile file: String
    ) -> (@Sendable (String) throws(StrataError) -> StringDictionary?)? {
        let parts = file.split(separator: "/")
        guard parts.count >= 2 else { return nil }
        return tableDictionaryResolver(String(parts[1]))
    }

    /// Input columns made ready for ``SegmentBuilder``: string columns with a table dictionary get
    /// table-wide codes (adding new values), then rows become rollup states.
    /// - Throws: the error of a damaged dictionary: rows coded against a stand-in would be wrong.
    func initialStates(spec: TableSpec, input: [ColumnData]) throws(StrataError) -> [ColumnData] {
        guard let dictionaries = tableDictionaries.withLock({ $0[spec.name.lowercased()] }) else {
            return SegmentBuilder.initialStates(spec: spec, input: input)
        }
        if let damage = dictionaries.values.lazy.compactMap(\.damage).first { throw damage }
        let encoded = zip(spec.storedInputColumns, input).map { column, data -> ColumnData in
            guard let dictionary = dictionaries[column.name],
                case .string(let local, let codes, let validity) = data, !local.isEmpty
            else { return data }
            let global = dictionary.encode(local)
            return .string(dictionary: [], codes: codes.map { global[Int($0)] }, validity: validity)
        }
        return SegmentBuilder.initialStates(spec: spec, input: encoded)
    }
}
