/// The release of Strata, as `SELECT version()` and `strata --version` show it.
public enum StrataVersion {
    /// `v` and the semantic version, as DuckDB writes its own (`v2.0.0`).
    public static let string = "v0.10.0"
}
