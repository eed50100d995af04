// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets (issue 15): a separate package so that the library's `swift build` and `swift test`
// never see the fuzzer flags. Each executable defines `LLVMFuzzerTestOneInput`; libFuzzer supplies `main`.
// Build and run them with `Fuzz/run.sh [seconds]`, which builds with
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Seed corpora live in `../Fixtures/fuzz/<target>/`.

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The fuzz targets: the executable `fuzz-<name>` from `Sources/<name>`.
let targets = ["sql", "csv", "jsonl", "spec", "segment", "wal", "catalog"]

let package = Package(
    name: "StrataFuzz",
    platforms: [.macOS(.v15)],
    products: targets.map { .executable(name: "fuzz-\($0)", targets: ["fuzz-\($0)"]) } + [
        .executable(name: "fuzz-seeds", targets: ["fuzz-seeds"])
    ],
    dependencies: [.package(name: "Strata", path: "..")],
    targets: [
        // What the targets share: the fixed table and an in-memory database holding it.
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzerDriver", .product(name: "Strata", package: "Strata")],
            swiftSettings: upcoming
        ),
        // The declaration of libFuzzer's driver, which each target's `main` calls.
        .target(name: "CFuzzerDriver"),
        // Not a fuzz target: writes the binary seeds (segment, log, catalog) into `Fixtures/fuzz`.
        .executableTarget(
            name: "fuzz-seeds",
            dependencies: ["FuzzSupport", .product(name: "Strata", package: "Strata")],
            path: "Sources/seeds",
            swiftSettings: upcoming
        ),
    ]
        + targets.map {
            .executableTarget(
                name: "fuzz-\($0)",
                dependencies: ["FuzzSupport", .product(name: "Strata", package: "Strata")],
                path: "Sources/\($0)",
                swiftSettings: upcoming
            )
        },
    swiftLanguageModes: [.v6]
)
