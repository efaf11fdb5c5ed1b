// swift-tools-version:6.0
// Quarry: a document-analysis workbench with embedded Lua 5.4.
// Targets follow the layers of docs/ARCHITECTURE: dependencies point one way.
import PackageDescription

let package = Package(
    name: "Quarry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "quarry", targets: ["QuarryCLI"]),
        .library(name: "LuaBridge", targets: ["LuaBridge"]),
        .library(name: "DocumentModel", targets: ["DocumentModel"]),
        .library(name: "TextAnalysis", targets: ["TextAnalysis"]),
        // For the fuzzers (Fuzz/, `make fuzz`), which build as a package of their own.
        .library(name: "Readers", targets: ["Readers"]),
        .library(name: "PluginHost", targets: ["PluginHost"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/mxcl/Version", from: "2.2.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // MARK: Lua
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .target(name: "LuaShim", dependencies: ["CLua"]),
        .target(name: "LuaBridge", dependencies: ["LuaShim"]),

        // MARK: Documents
        .target(name: "DocumentModel"),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .target(name: "TextAnalysis", dependencies: ["DocumentModel", "CPCRE2"]),

        // MARK: Readers
        // ZIP archives from untrusted bytes (DOCX, plugin packages): the directory checked before ZIPFoundation.
        .target(name: "ArchiveGuard", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "CUchardet", pkgConfig: "uchardet", providers: [.apt(["libuchardet-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "Readers",
            dependencies: [
                "DocumentModel", "TextAnalysis", "CLibXML2", "CCmarkGFM", "CUchardet", "CCrypto", "ArchiveGuard",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // MARK: Plugins
        .target(name: "PluginShim", dependencies: ["CLua"]),
        .target(
            name: "PluginHost",
            dependencies: [
                "LuaBridge", "PluginShim", "DocumentModel", "TextAnalysis",
                .product(name: "Version", package: "Version"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),

        // MARK: Plugin packages (`quarry plugins install`, quarry.lock)
        .target(
            name: "PluginPackages",
            dependencies: [
                "PluginHost", "LuaBridge", "ArchiveGuard",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),

        // MARK: Scoring (`quarry score`)
        .target(name: "Scoring", dependencies: ["DocumentModel", "TextAnalysis"]),

        // MARK: Batch runs
        .target(name: "BatchRunner", dependencies: ["Readers", "PluginHost", "LuaBridge", "DocumentModel"]),

        // MARK: Command line
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .executableTarget(
            name: "QuarryCLI",
            dependencies: [
                "LuaBridge", "DocumentModel", "TextAnalysis", "PluginHost", "CEdit", "Readers", "BatchRunner",
                "Scoring", "PluginPackages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            // jemalloc serves every allocation of the process (Swift, Lua, the C libraries): a batch run
            // makes and frees dozens of small buffers per document on several threads, where it spends
            // about a fifth less time than glibc's allocator (Benchmarks/, `make bench SECTIONS=batch`).
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),

        // MARK: Tests
        .target(name: "QuarryTestSupport", dependencies: ["DocumentModel"]),
        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge", "QuarryTestSupport"]),
        .testTarget(
            name: "PluginHostTests",
            dependencies: ["PluginHost", "QuarryTestSupport", .product(name: "Version", package: "Version")],
            exclude: ["Lua", "Fixtures"]),
        .testTarget(name: "DocumentModelTests", dependencies: ["DocumentModel"]),
        .testTarget(
            name: "TextAnalysisTests", dependencies: ["TextAnalysis", "DocumentModel"], exclude: ["Fixtures"]),
        .testTarget(
            name: "BatchRunnerTests",
            dependencies: ["BatchRunner", "PluginHost", "Readers", "LuaBridge", "QuarryTestSupport"]),
        .testTarget(
            name: "ReadersTests", dependencies: ["Readers", "DocumentModel", "ArchiveGuard", "QuarryTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "PluginPackagesTests", dependencies: ["PluginPackages", "PluginHost", "QuarryTestSupport"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "DocumentModel"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["QuarryTestSupport", "QuarryCLI"],
            exclude: ["Fixtures"]
        ),

        // MARK: Benchmarks (`make bench`)
        .executableTarget(
            name: "QuarryBench",
            dependencies: [
                "LuaBridge", "DocumentModel", "TextAnalysis", "PluginHost",
                "Readers",
            ],
            path: "Benchmarks/QuarryBench"
        ),
    ],
    swiftLanguageModes: [.v6]
)
