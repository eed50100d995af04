/// A SQL `LIKE` pattern: `%` matches any run of characters, `_` exactly one (a Unicode scalar);
/// everything else matches itself, case-sensitively.
package struct LikePattern: Sendable, Hashable {
    enum Piece: Hashable { case literal([Unicode.Scalar]), one, any }
    let pieces: [Piece]
    /// The literal prefix before the first wildcard (lets sorted dictionaries narrow to a code range).
    package let prefix: String
    /// Whether the pattern is `prefix%` exactly.
    package let isPrefixOnly: Bool

    package init(_ pattern: String) {
        var pieces: [Piece] = []
        var literal: [Unicode.Scalar] = []
        for s in pattern.unicodeScalars {
            switch s {
            case "%", "_":
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = []
                if s == "_" { pieces.append(.one) } else if pieces.last != .any { pieces.append(.any) }
            default:
                literal.append(s)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
        if case .literal(let p)? = pieces.first {
            prefix = String(String.UnicodeScalarView(p))
        } else {
            prefix = ""
        }
        isPrefixOnly = pieces.count == 2 && pieces[1] == .any && !prefix.isEmpty
    }

    package func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return match(scalars[...], pieces[...])
    }

    private func match(_ text: ArraySlice<Unicode.Scalar>, _ pieces: ArraySlice<Piece>) -> Bool {
        guard let first = pieces.first else { return text.isEmpty }
        let rest = pieces.dropFirst()
        switch first {
        case .literal(let l):
            guard text.starts(with: l) else { return false }
            return match(text.dropFirst(l.count), rest)
        case .one:
            guard !text.isEmpty else { return false }
            return match(text.dropFirst(), rest)
        case .any:
            if rest.isEmpty { return true }
            var t = text
            while true {
                if match(t, rest) { return true }
                if t.isEmpty { return false }
                t = t.dropFirst()
            }
        }
    }
}
