extension SQLEvaluation {
    /// `upper(s)`/`lower(s)` as DuckDB computes them (utf8proc's simple case mapping): each code point
    /// maps to one code point, so the length never changes — `upper('straße')` is `STRAẞE`, not
    /// Swift's `STRASSE`; `upper('ﬁ')` stays `ﬁ`; `lower('İ')` is `i`; a final Σ lowers to σ.
    static func caseMapped(_ text: String, upper: Bool) -> String {
        // ASCII maps the same either way, and Swift's mapping is much faster there.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return upper ? text.uppercased() : text.lowercased() }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(simpleCaseMapping(scalar, upper: upper)) }
        return String(scalars)
    }

    /// The one-code-point case mapping of a scalar. Swift exposes the full mappings (`ß` → `SS`); where
    /// one has several code points, the simple mapping is the titlecase one when that is a single code
    /// point (`ᾳ` → `ᾼ`), `ẞ` for `ß` and `i` for `İ` (utf8proc's choices), and otherwise the scalar itself.
    static func simpleCaseMapping(_ scalar: Unicode.Scalar, upper: Bool) -> Unicode.Scalar {
        let properties = scalar.properties
        let full = upper ? properties.uppercaseMapping : properties.lowercaseMapping
        if let single = onlyScalar(full) { return single }
        if upper {
            if scalar == "\u{DF}" { return "\u{1E9E}" }
            return onlyScalar(properties.titlecaseMapping) ?? scalar
        }
        return scalar == "\u{130}" ? "i" : scalar
    }

    private static func onlyScalar(_ text: String) -> Unicode.Scalar? {
        var iterator = text.unicodeScalars.makeIterator()
        guard let first = iterator.next(), iterator.next() == nil else { return nil }
        return first
    }
}
