import PropertyBased
import StrataCore
import Testing

@Suite("Decimal values")
struct DecimalValueTests {
    static let parsed: [(String, Int, Int, Int128?)] = [
        ("12.5", 4, 2, 1250), ("-.5", 3, 2, -50), ("+3", 3, 1, 30), ("1e3", 6, 2, 100_000), ("1.25E-1", 4, 3, 125),
        ("1.005", 4, 2, 101), ("-1.005", 4, 2, -101), ("1.004999", 4, 2, 100), (" 7.10 ", 3, 2, 710),
        ("0.000000000000000000000000000000000000000001", 38, 2, 0), ("99.995", 4, 2, nil), ("12x", 10, 2, nil),
        ("", 10, 2, nil), (".", 10, 2, nil), ("1.2.3", 10, 2, nil), ("1e", 10, 2, nil), ("-", 10, 2, nil),
        ("99999999999999999999999999999999999999", 38, 0, 99_999_999_999_999_999_999_999_999_999_999_999_999),
        ("999999999999999999999999999999999999999", 38, 0, nil),
    ]

    @Test("decimal text parses exactly, rounding extra digits half away from zero", arguments: parsed)
    func parse(_ text: String, _ precision: Int, _ scale: Int, _ expected: Int128?) {
        #expect(DecimalValue.parse(text, precision: precision, scale: scale) == expected)
    }

    @Test("values print with every digit of their scale, as DuckDB prints them")
    func format() {
        #expect(DecimalValue(unscaled: 150, precision: 3, scale: 2).description == "1.50")
        #expect(DecimalValue(unscaled: -7, precision: 3, scale: 2).description == "-0.07")
        #expect(DecimalValue(unscaled: 100, precision: 3, scale: 0).description == "100")
        #expect(DecimalValue(unscaled: 0, precision: 4, scale: 3).description == "0.000")
        #expect(DecimalValue(unscaled: 5, precision: 1, scale: 1).description == "0.5")
    }

    @Test("rescaling widens exactly and narrows half away from zero")
    func rescale() {
        #expect(DecimalValue.rescale(125, from: 2, to: 1) == 13)
        #expect(DecimalValue.rescale(-125, from: 2, to: 1) == -13)
        #expect(DecimalValue.rescale(124, from: 2, to: 1) == 12)
        #expect(DecimalValue.rescale(12, from: 1, to: 3) == 1200)
        #expect(DecimalValue.rescale(Int128.max / 2, from: 0, to: 1) == nil)
    }

    @Test("text and back: any value of any scale prints and parses to itself")
    func roundTrip() async {
        await propertyCheck(count: 500, input: Gen.int(in: Int.min...Int.max), Gen.int(in: 0...18)) { units, scale in
            let value = DecimalValue(unscaled: Int128(units), precision: 38, scale: scale)
            #expect(DecimalValue.parse(value.description, precision: 38, scale: scale) == Int128(units))
        }
    }

    @Test("a decimal converts to the double nearest its value")
    func doubles() async {
        #expect(DecimalValue(unscaled: 2345, precision: 4, scale: 3).doubleValue == 2.345)
        #expect(DecimalValue(unscaled: 7, precision: 3, scale: 2).doubleValue == 0.07)
        await propertyCheck(count: 500, input: Gen.int(in: Int.min...Int.max), Gen.int(in: 0...30)) { units, scale in
            let value = DecimalValue(unscaled: Int128(units), precision: 38, scale: scale)
            #expect(value.doubleValue == Double(value.description), "\(value)")
        }
    }
}
