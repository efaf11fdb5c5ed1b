// swift-tools-version:6.0
// Quarry's fuzzers (`make fuzz`): one libFuzzer executable whose target is chosen by QUARRY_FUZZ_TARGET.
// A package of its own because a fuzzer has no `main` (libFuzzer brings it) and links only when built
// with `-sanitize=fuzzer`, which the main package's `swift build` must not need.
import PackageDescription

let package = Package(
    name: "QuarryFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Quarry", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "QuarryFuzz",
            dependencies: [
                "CFuzzDriver",
                .product(name: "Readers", package: "Quarry"),
                .product(name: "PluginHost", package: "Quarry"),
                .product(name: "LuaBridge", package: "Quarry"),
                .product(name: "DocumentModel", package: "Quarry"),
            ]
        ),
    ]
)
