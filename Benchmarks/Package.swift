// swift-tools-version: 6.1
import PackageDescription

// The benchmark suite: a separate package so that the library's manifest stays free of the
// benchmark harness and its malloc interposer. Run from this directory:
//   swift package benchmark                      # all benchmarks (release build)
//   swift run -c release strata-storage-size     # on-disk size of the events dataset
// See README.md and RESULTS.md.

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "StrataBenchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "strata-storage-size", targets: ["StorageSize"])
    ],
    dependencies: [
        .package(name: "Strata", path: ".."),
        // Without the trait the package pulls in swift-runtime-interposer, which does not resolve here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Shared by the benchmarks and the size tool: the events spec and EventsBatch conversions.
        .target(
            name: "StrataBenchmarkSupport",
            dependencies: [
                .product(name: "Strata", package: "Strata"), .product(name: "StrataDatasets", package: "Strata"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "StorageBenchmarks",
            dependencies: [
                "StrataBenchmarkSupport",
                .product(name: "Strata", package: "Strata"), .product(name: "StrataDatasets", package: "Strata"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/StorageBenchmarks",
            swiftSettings: upcoming,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Strata", package: "Strata"), .product(name: "StrataDatasets", package: "Strata"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            swiftSettings: upcoming,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "StorageSize",
            dependencies: [
                "StrataBenchmarkSupport", .product(name: "Strata", package: "Strata"),
                .product(name: "StrataDatasets", package: "Strata"),
            ],
            swiftSettings: upcoming
        ),
    ],
    swiftLanguageModes: [.v6]
)
