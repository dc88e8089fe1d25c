// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The numeric kernels are worthless unoptimised: HandEngine is always built with -O and for a
// CPU with AVX2/FMA (x86-64-v3), which every machine SnapRate targets has. Its GEMM kernel for
// AVX-512 lives in a target of its own, built for that and called only where the CPU has it.
let engineFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-target-cpu", "haswell"]),
]

// FFmpeg: the static libraries `.ci/build-ffmpeg` builds from Debian's FFmpeg source with only the
// formats SnapRate reads, when they are there; Debian's shared libraries otherwise. Debian's load
// some 140 libraries of codecs and protocols SnapRate never uses, about 25 MB of resident pages.
let trimmedFFmpeg = Context.packageDirectory + "/.build-ffmpeg"
let usesTrimmedFFmpeg = FileManager.default.fileExists(atPath: trimmedFFmpeg + "/lib/libavcodec.a")
let ffmpegSwiftFlags: [SwiftSetting] = usesTrimmedFFmpeg ? [.unsafeFlags(["-Xcc", "-I\(trimmedFFmpeg)/include"])] : []
// The modulemap's `link` lines find the static libraries first through -L; zlib is what they use
// (PNG, compressed Matroska tracks).
let ffmpegLinkFlags: [LinkerSetting] = usesTrimmedFFmpeg
    ? [.unsafeFlags(["-L\(trimmedFFmpeg)/lib", "-Xlinker", "--push-state", "-Xlinker", "--no-as-needed", "-lz", "-lm",
                     "-Xlinker", "--pop-state"])]
    : []

let package = Package(
    name: "SnapRate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "snaprate", targets: ["snaprate"]),
        .library(name: "SnapRateCore", targets: ["SnapRateCore"]),
        .library(name: "MediaIngest", targets: ["MediaIngest"]),
        .library(name: "HandEngine", targets: ["HandEngine"]),
        .library(name: "ThumbRating", targets: ["ThumbRating"]),
        .library(name: "StreamRating", targets: ["StreamRating"]),
        .library(name: "RatingRing", targets: ["RatingRing"]),
        .library(name: "AnalyticsStore", targets: ["AnalyticsStore"]),
        .library(name: "EventReport", targets: ["EventReport"]),
        .library(name: "SnapRateServer", targets: ["SnapRateServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            // pkg-config would put Debian's library folder ahead of the trimmed build's.
            pkgConfig: usesTrimmedFFmpeg ? nil : "libavformat libavcodec libswscale libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev", "pkg-config"])]
        ),
        // What every layer shares and nothing else: a rating, a kiosk id, the rating record, limits.
        .target(name: "SnapRateCore"),
        .target(
            name: "MediaIngest",
            dependencies: [
                "CFFmpeg", "SnapRateCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: ffmpegSwiftFlags,
            linkerSettings: ffmpegLinkFlags
        ),
        .target(
            name: "HandEngine",
            dependencies: [
                "CPUFeatures", "CropKernels", "HandKernels512", "HandKernelsBF16", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: engineFlags
        ),
        // Which vector instructions the CPU has, asked at run time.
        .target(name: "CPUFeatures"),
        // The GEMM and depthwise micro-kernels built for AVX-512: HandEngine calls them only where
        // `CPUFeatures` found AVX-512, so the rest of the engine, built for AVX2, runs everywhere.
        .target(name: "HandKernels512", swiftSettings: [.unsafeFlags(["-Ounchecked", "-target-cpu", "skylake-avx512"])]),
        // The GEMM's kernels on AVX-512 BF16, in C because Swift cannot spell bfloat16 vectors; called
        // only where `CPUFeatures` found the extension and `MatrixArithmetic` chose it.
        .target(name: "HandKernelsBF16"),
        // The crop into a model's input, eight pixels at a time, in C because Swift cannot spell a gather.
        .target(name: "CropKernels"),
        // One picture at a time: hands, thumb class, smoothing. No decoder in sight.
        .target(
            name: "ThumbRating",
            dependencies: ["SnapRateCore", "HandEngine", .product(name: "Logging", package: "swift-log")]
        ),
        // One stream at a time: the driver every command and the daemon run.
        .target(
            name: "StreamRating",
            dependencies: ["MediaIngest", "HandEngine", "ThumbRating", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "RatingRing",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "AnalyticsStore",
            dependencies: [
                "SnapRateCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The event report for sponsors: figures from a store, rendered as one self-contained HTML file.
        .target(name: "EventReport", dependencies: ["SnapRateCore", "AnalyticsStore"]),
        .target(
            name: "SnapRateServer",
            dependencies: [
                "SnapRateCore", "MediaIngest", "HandEngine", "ThumbRating", "StreamRating", "RatingRing", "AnalyticsStore",
                "EventReport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The kiosk and dashboard pages; `PageAssets` finds them beside the executable.
            resources: [.copy("Pages")]
        ),
        .executableTarget(
            name: "snaprate",
            dependencies: [
                "SnapRateCore", "MediaIngest", "HandEngine", "ThumbRating", "StreamRating", "SnapRateServer",
                "AnalyticsStore", "RatingRing", "EventReport",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])]
        ),
        // Paths to fixtures, the shared gesture set and the built executable, for every test target.
        .target(name: "TestSupport", dependencies: [
            "SnapRateCore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "MediaIngestTests", dependencies: [
            "MediaIngest", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "HandEngineTests", dependencies: ["HandEngine", "TestSupport"], resources: [.copy("Reference")]),
        .testTarget(name: "HandParityTests", dependencies: ["HandEngine", "MediaIngest", "TestSupport"]),
        .testTarget(name: "SnapRateCoreTests", dependencies: ["SnapRateCore"]),
        .testTarget(name: "ThumbRatingTests", dependencies: ["ThumbRating", "SnapRateCore", "HandEngine", "TestSupport"]),
        .testTarget(name: "StreamRatingTests", dependencies: [
            "StreamRating", "ThumbRating", "MediaIngest", "HandEngine", "SnapRateCore", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .testTarget(name: "RatingRingTests", dependencies: ["RatingRing"]),
        .testTarget(name: "AnalyticsStoreTests", dependencies: [
            "AnalyticsStore", "SnapRateCore", "TestSupport",
            .product(name: "Logging", package: "swift-log"), .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "EventReportTests", dependencies: [
            "EventReport", "AnalyticsStore", "SnapRateCore", "TestSupport",
        ]),
        .testTarget(name: "SnapRateCLITests", dependencies: [
            "snaprate", "TestSupport", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
        ]),
        // The server's parts on their own, in process.
        .testTarget(name: "SnapRateServerTests", dependencies: [
            "SnapRateServer", "AnalyticsStore", "RatingRing", "SnapRateCore", "TestSupport",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The daemon as users meet it: real `snaprate serve` processes, sockets, browsers, fuzzing.
        .testTarget(name: "EndToEndTests", dependencies: [
            "SnapRateServer", "AnalyticsStore", "SnapRateCore", "TestSupport", "snaprate",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
        ]),
        // Measurement runs, not checks of behaviour: they run only with SNAPRATE_FIGURES=1, and
        // live with the benchmarks (docs/measurements.md gives the commands).
        .testTarget(name: "Measurements", dependencies: [
            "AnalyticsStore", "SnapRateCore", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        ], path: "Benchmarks/Measurements"),    ]
)
