/// Whether two values agree to a relative tolerance, with an absolute floor for values near zero.
///
/// The floor (1e-14 by default) covers reference values that scipy computes as `1 − cdf` and which therefore
/// carry an absolute rounding error of about 1e-16.
func isClose(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 1e-14) -> Bool {
    if actual == expected { return true }
    guard actual.isFinite, expected.isFinite else { return false }
    return abs(actual - expected) <= max(relative * abs(expected), absolute)
}
