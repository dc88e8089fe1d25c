// swift-tools-version: 6.1
// SnapRate's benchmarks, a package of their own so that building the product and its tests never
// builds the benchmark harness. Run from this folder: `swift package benchmark` (all), or
// `swift package benchmark --target DecodeBenchmarks`.
import PackageDescription

let package = Package(
    name: "SnapRateBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "SnapRate", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "DecodeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "MediaIngest", package: "SnapRate"),
            ],
            path: "DecodeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "HandEngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "HandEngine", package: "SnapRate"),
                .product(name: "MediaIngest", package: "SnapRate"),
            ],
            path: "HandEngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
