/// `SET [SESSION | LOCAL | GLOBAL] name { = | TO } value`: the parser keeps the value as written; the
/// session checks the name and parses the value (`'512MB'`, `'5s'`).
///
/// Equality ignores ``valueRange``.
public struct SettingAssignment: Hashable, Sendable, CustomStringConvertible {
    /// What the value was written as.
    public enum Value: Hashable, Sendable {
        /// A string literal: `'512MB'`.
        case string(String)
        /// A number, maybe negative: `4`, `-1`.
        case number(String)
        /// A bare word: `none`, `DEFAULT`.
        case word(String)
    }

    /// The setting; its range points at the name.
    public var name: Identifier
    public var value: Value
    /// Where the value was written, for errors about it.
    public var valueRange: SourceRange

    public init(name: Identifier, value: Value, valueRange: SourceRange = SourceRange(offset: 0, length: 0)) {
        self.name = name
        self.value = value
        self.valueRange = valueRange
    }

    /// The value as text: the string's contents, the number or the word.
    public var text: String {
        switch value {
        case .string(let s), .number(let s), .word(let s): s
        }
    }

    /// Whether the value is the word `DEFAULT` (as `RESET name`).
    public var isDefault: Bool {
        if case .word(let w) = value { w.lowercased() == "default" } else { false }
    }

    public var description: String {
        let written: String =
            switch value {
            case .string(let s): Identifier.enclose(s, in: "'")
            case .number(let s), .word(let s): s
            }
        return "SET \(name) = \(written)"
    }

    public static func == (lhs: SettingAssignment, rhs: SettingAssignment) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(value)
    }
}
