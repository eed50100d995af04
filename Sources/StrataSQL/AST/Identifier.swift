/// A name in a query: a column, a table, an alias, a function or a common table expression.
///
/// The spelling is kept as written, but names compare the way DuckDB resolves them: case-insensitively,
/// whether or not they were double-quoted. Equality and hashing use ``normalized`` and ignore
/// ``range``, so the binder can use identifiers (and expressions holding them) as dictionary keys.
public struct Identifier: Hashable, Sendable, CustomStringConvertible {
    /// The name as written, without quotes (`""` inside a quoted name already unescaped).
    public var name: String
    /// Whether the name was written in double quotes.
    public var isQuoted: Bool
    /// Where the name was written; zero-length for names built in code.
    public var range: SourceRange

    /// Creates an identifier.
    public init(_ name: String, isQuoted: Bool = false, range: SourceRange = SourceRange(offset: 0, length: 0)) {
        self.name = name
        self.isQuoted = isQuoted
        self.range = range
    }

    /// The name folded to lower case: the key to compare and look names up by.
    public var normalized: String { name.lowercased() }

    /// Whether two names refer to the same thing (case-insensitive), wherever they were written.
    public static func == (lhs: Identifier, rhs: Identifier) -> Bool {
        lhs.name == rhs.name || lhs.normalized == rhs.normalized
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(normalized)
    }

    /// The name as SQL: bare when it was bare and can be, otherwise double-quoted.
    public var description: String {
        isQuoted || !Identifier.canBeBare(name) ? Identifier.quote(name) : name
    }

    /// The name in double quotes, with any `"` doubled.
    static func quote(_ name: String) -> String {
        enclose(name, in: "\"")
    }

    /// `text` between two `mark` characters, with any `mark` inside doubled: SQL's only escape.
    static func enclose(_ text: String, in mark: Character) -> String {
        var result = String(mark)
        for character in text {
            if character == mark { result.append(mark) }
            result.append(character)
        }
        result.append(mark)
        return result
    }

    /// Whether `name` reads back as the same identifier without quotes.
    static func canBeBare(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return false
        }
        let allowed = name.utf8.allSatisfy { byte in
            (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "$") || byte >= 0x80
        }
        guard allowed, first != UInt8(ascii: "$") else { return false }
        return Keyword.lookup(name.lowercased()).map { !$0.isReserved } ?? true
    }
}
