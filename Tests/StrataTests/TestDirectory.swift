import Foundation

/// A fresh temporary directory, removed when the value is released.
final class TestDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("strata-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func files(under sub: String) -> [String] {
        (FileManager.default.enumerator(atPath: path + "/" + sub)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".seg") }.sorted()
    }
}
