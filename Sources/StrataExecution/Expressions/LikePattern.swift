#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A SQL `LIKE` pattern: `%` matches any run of characters, `_` exactly one (a Unicode scalar);
/// everything else matches itself, case-sensitively.
package struct LikePattern: Sendable, Hashable {
    enum Piece: Hashable { case literal([Unicode.Scalar]), one, any }
    let pieces: [Piece]
    /// The literal prefix before the first wildcard (lets sorted dictionaries narrow to a code range).
    package let prefix: String
    /// Whether the pattern is `prefix%` exactly.
    package let isPrefixOnly: Bool
    /// Without `_`, the pattern is its literals in order (`%` between them), and matching is a search for
    /// each literal's UTF-8 bytes after the previous one: the first must start the text unless the pattern
    /// starts with `%`, the last end it unless the pattern ends with `%`. (A leftmost match of each literal
    /// leaves the most room for the next, so the search never backtracks.) `nil` with `_`.
    private let literals: [[UInt8]]?
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

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
        if pieces.contains(.one) {
            literals = nil
        } else {
            literals = pieces.compactMap { piece in
                if case .literal(let l) = piece { return Array(String(String.UnicodeScalarView(l)).utf8) }
                return nil
            }
        }
        anchoredStart = pieces.first != .any
        anchoredEnd = pieces.last != .any
    }

    package func matches(_ text: String) -> Bool {
        guard let literals else {
            let scalars = Array(text.unicodeScalars)
            return match(scalars[...], pieces[...])
        }
        var text = text
        return text.withUTF8 { bytes in
            if literals.isEmpty { return !anchoredStart || bytes.isEmpty }  // '' or '%'
            var start = 0
            var end = bytes.count
            var first = 0
            var last = literals.count
            if anchoredStart {
                guard Self.occurs(literals[0], in: bytes, at: 0) else { return false }
                if literals.count == 1, anchoredEnd { return bytes.count == literals[0].count }
                start = literals[0].count
                first = 1
            }
            if anchoredEnd {
                let l = literals[literals.count - 1]
                guard end - start >= l.count, Self.occurs(l, in: bytes, at: end - l.count) else { return false }
                end -= l.count
                last -= 1
            }
            for k in first..<max(first, last) {
                guard let at = Self.search(literals[k], in: bytes, from: start, to: end) else { return false }
                start = at + literals[k].count
            }
            return true
        }
    }

    private static func occurs(_ literal: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset >= 0, offset + literal.count <= bytes.count else { return false }
        guard let base = bytes.baseAddress else { return literal.isEmpty }
        return literal.withUnsafeBufferPointer { literal in
            guard let l = literal.baseAddress else { return true }
            return memcmp(base + offset, l, literal.count) == 0
        }
    }

    /// The first offset in `start..<end` where `literal` occurs whole before `end`: `memchr` finds each
    /// candidate for its first byte (vectorized in libc), `memcmp` checks the rest.
    private static func search(_ literal: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> Int?
    {
        guard let head = literal.first else { return start }
        guard let base = bytes.baseAddress else { return nil }
        return literal.withUnsafeBufferPointer { literal -> Int? in
            guard let l = literal.baseAddress else { return start }
            var i = start
            let lastStart = end - literal.count
            while i <= lastStart {
                guard let found = memchr(base + i, Int32(head), lastStart - i + 1) else { return nil }
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, l, literal.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
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
