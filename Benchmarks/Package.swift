// swift-tools-version:6.1
// Performance benchmarks (ordo-one/benchmark). A separate package so that `make test` never
// builds the benchmark framework. Run with `make bench` (or `swift package benchmark` here).
import Foundation
import PackageDescription

// A path dependency's package identity is its directory name, which differs between clones;
// derive it from this manifest's location.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "KKREmulatorBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .executableTarget(
            name: "LinearAlgebra",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KKREmulatorCore", package: mainPackage),
                .product(name: "Numerics", package: "swift-numerics"),
            ],
            path: "Benchmarks/LinearAlgebra",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "PotentialIOBench",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KKREmulatorCore", package: mainPackage),
            ],
            path: "Benchmarks/PotentialIOBench",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "AtomBench",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KKREmulatorCore", package: mainPackage),
                .product(name: "Numerics", package: "swift-numerics"),
            ],
            path: "Benchmarks/AtomBench",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "SolverBench",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KKREmulatorCore", package: mainPackage),
            ],
            path: "Benchmarks/SolverBench",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "EmulatorBench",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KKREmulatorCore", package: mainPackage),
            ],
            path: "Benchmarks/EmulatorBench",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
