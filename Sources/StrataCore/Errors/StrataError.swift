/// The one error type of Strata: a machine-readable ``Code``, a message a person can act on,
/// and where the problem is (a file position, or an offset in a query text).
public struct StrataError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure this is. Extensible: new codes are added as static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case syntax, binding, type, ingest, io, corruption, limit, cancelled, unsupported, schema,
                notFound, alreadyExists, invalidArgument, `internal`
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The query text could not be parsed.
        public static let syntax = Code(.syntax)
        /// A name in a query or request does not resolve (table, column, function).
        public static let binding = Code(.binding)
        /// A value or expression has the wrong type.
        public static let type = Code(.type)
        /// Input rows were malformed or did not match the table spec.
        public static let ingest = Code(.ingest)
        /// The operating system reported a failure (open, read, write, fsync, rename, disk full).
        public static let io = Code(.io)
        /// Stored bytes failed a checksum or a structural check.
        public static let corruption = Code(.corruption)
        /// A timeout or memory budget was exceeded.
        public static let limit = Code(.limit)
        /// The operation was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The request is valid but not supported.
        public static let unsupported = Code(.unsupported)
        /// A table spec is invalid.
        public static let schema = Code(.schema)
        /// A table, column or file does not exist.
        public static let notFound = Code(.notFound)
        /// A table or file already exists.
        public static let alreadyExists = Code(.alreadyExists)
        /// An argument is out of its allowed range.
        public static let invalidArgument = Code(.invalidArgument)
        /// A broken internal invariant; always a bug in Strata.
        public static let `internal` = Code(.internal)

        public var description: String { kind.rawValue }
    }

    /// Where an error happened. Every field is optional; set what is known.
    public struct Location: Hashable, Sendable, CustomStringConvertible {
        /// A file path (input file, segment file, catalog).
        public var file: String?
        /// 1-based line in a text file or a query.
        public var line: Int?
        /// 1-based column (character) in that line.
        public var column: Int?
        /// 0-based byte offset in a query text.
        public var offset: Int?
        /// A storage block, for corruption errors.
        public var block: Int?

        public init(file: String? = nil, line: Int? = nil, column: Int? = nil, offset: Int? = nil, block: Int? = nil) {
            self.file = file
            self.line = line
            self.column = column
            self.offset = offset
            self.block = block
        }

        public var description: String {
            var parts: [String] = []
            if let file { parts.append(file) }
            if let line { parts.append(String(line)) }
            if let column { parts.append(String(column)) }
            var text = parts.joined(separator: ":")
            if let block { text += text.isEmpty ? "block \(block)" : " (block \(block))" }
            if let offset, line == nil { text += text.isEmpty ? "offset \(offset)" : " (offset \(offset))" }
            return text
        }
    }

    public var code: Code
    public var message: String
    public var location: Location?
    /// Further lines shown after the message (for example a query line with a caret, or more bad rows).
    public var detail: String?

    public init(_ code: Code, _ message: String, location: Location? = nil, detail: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.detail = detail
    }

    public var description: String {
        var text = ""
        if let location, !location.description.isEmpty { text = "\(location): " }
        text += "\(code) error: \(message)"
        if let detail, !detail.isEmpty { text += "\n" + detail }
        return text
    }
}
