// swift-tools-version:6.1
// Performance benchmarks (ordo-one/benchmark). A separate package so that `make test` never
// builds the benchmark framework. Run with `make bench` (or `swift package benchmark` here).
import Foundation
import PackageDescription

// A path dependency's package identity is its directory name, which differs between clones;
// derive it from this manifest's location.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

/// One benchmark executable in Benchmarks/<name>, linked against the project's core library.
func benchmarkTarget(_ name: String, numerics: Bool = false) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "Benchmark", package: "benchmark"),
            .product(name: "KKREmulatorCore", package: mainPackage),
        ] + (numerics ? [.product(name: "Numerics", package: "swift-numerics")] : []),
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
}

let package = Package(
    name: "KKREmulatorBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        benchmarkTarget("LinearAlgebra", numerics: true),
        benchmarkTarget("PotentialIOBench"),
        benchmarkTarget("AtomBench", numerics: true),
        benchmarkTarget("SolverBench"),
        benchmarkTarget("EmulatorBench"),
    ]
)
