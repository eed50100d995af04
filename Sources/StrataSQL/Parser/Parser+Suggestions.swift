extension Parser {
    /// The keyword among `candidates` that the word `token` most likely misspells (`FORM` for FROM,
    /// `GRUOP` for GROUP), or nil when the word is not close to any.
    ///
    /// Close means an edit distance (insertions, deletions, substitutions and swaps of neighbours) of 1
    /// for words of four or five letters and 2 for longer ones; shorter words are never suggested for,
    /// since they are more likely aliases.
    func suggestion(for token: Token, among candidates: [Keyword]) -> Keyword? {
        guard token.kind == .word, token.keyword == nil else { return nil }
        let word = Array(token.text.lowercased().utf8)
        guard word.count >= 4 else { return nil }
        let limit = word.count <= 5 ? 1 : 2
        var best: (keyword: Keyword, distance: Int)?
        for keyword in candidates {
            let distance = Parser.editDistance(word, Array(keyword.rawValue.utf8))
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (keyword, distance)
            }
        }
        return best?.keyword
    }

    /// The optimal-string-alignment distance between two byte strings.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var table = [Int](repeating: 0, count: (a.count + 1) * width)
        for i in 0...a.count { table[i * width] = i }
        for j in 0...b.count { table[j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = Swift.min(
                    table[(i - 1) * width + j] + 1, table[i * width + j - 1] + 1, table[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = Swift.min(value, table[(i - 2) * width + j - 2] + 1)
                }
                table[i * width + j] = value
            }
        }
        return table[a.count * width + b.count]
    }
}
