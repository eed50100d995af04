// swift-tools-version: 6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Strata", targets: ["Strata"]),
        .library(name: "StrataStats", targets: ["StrataStats"]),
        // The benchmark dataset's generator: for the CLI, tests and benchmarks, not part of the engine.
        .library(name: "StrataDatasets", targets: ["StrataDatasets"]),
        .executable(name: "strata", targets: ["strata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // C libraries: module maps and static-inline glue only (StrataStorage's codecs and checksums, the
        // executor's prefetch hint).
        .systemLibrary(name: "CStrataZstd", path: "Sources/CStrataZstd"),
        .systemLibrary(name: "CStrataLZ4", path: "Sources/CStrataLZ4"),
        .systemLibrary(name: "CStrataRoaring", path: "Sources/CStrataRoaring"),
        .systemLibrary(name: "CStrataCRC", path: "Sources/CStrataCRC"),
        .systemLibrary(name: "CStrataPrefetch", path: "Sources/CStrataPrefetch"),

        .target(name: "StrataCore", swiftSettings: upcoming),
        .target(
            name: "StrataStorage",
            dependencies: ["StrataCore", "CStrataZstd", "CStrataLZ4", "CStrataRoaring", "CStrataCRC"],
            swiftSettings: upcoming
        ),
        .target(
            name: "StrataExecution", dependencies: ["StrataCore", "StrataStorage", "CStrataPrefetch"],
            swiftSettings: upcoming),
        .target(name: "StrataSQL", dependencies: ["StrataCore"], swiftSettings: upcoming),
        .target(
            name: "StrataIngest", dependencies: ["StrataCore", "StrataStorage", "StrataFormats"],
            swiftSettings: upcoming),
        .target(
            name: "StrataPlanner", dependencies: ["StrataCore", "StrataStorage", "StrataExecution", "StrataSQL"],
            swiftSettings: upcoming),
        .target(
            name: "StrataExperiments",
            dependencies: ["StrataCore", "StrataStorage", "StrataExecution", "StrataSQL", "StrataPlanner", "StrataStats"],
            swiftSettings: upcoming),
        .target(name: "StrataFormats", dependencies: ["StrataCore"], swiftSettings: upcoming),
        .target(name: "StrataStats", swiftSettings: upcoming),
        .target(name: "StrataDatasets", dependencies: ["StrataCore"], swiftSettings: upcoming),
        .target(
            name: "Strata",
            dependencies: [
                "StrataCore", "StrataStorage", "StrataExecution", "StrataSQL", "StrataPlanner", "StrataExperiments",
                "StrataFormats", "StrataIngest", "StrataStats",
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "strata",
            dependencies: [
                "Strata", "StrataDatasets", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        .target(name: "StrataTestSupport", dependencies: ["Strata", "StrataCore", "CStrataZstd"], swiftSettings: upcoming),

        .testTarget(
            name: "StrataCoreTests",
            dependencies: ["StrataCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "StrataStorageTests",
            dependencies: [
                "StrataStorage", "StrataCore", "StrataTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "StrataExecutionTests", dependencies: ["StrataExecution", "StrataCore"], swiftSettings: upcoming),
        .testTarget(name: "StrataSQLTests", dependencies: ["StrataSQL", "StrataCore"], swiftSettings: upcoming),
        .testTarget(name: "StrataStatsTests", dependencies: ["StrataStats"], swiftSettings: upcoming),
        .testTarget(
            name: "StrataTests",
            dependencies: [
                "Strata", "StrataCore", "StrataStorage", "StrataTestSupport", "StrataDatasets",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
    ]
)
