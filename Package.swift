// swift-tools-version:6.0
// KKR starting-potential emulator: free atom, screened-KKR host, impurity Dyson solver,
// Jacobi–Legendre emulator and the JuKKR/KKRimp potential-file I/O. See README.md and docs/.
import PackageDescription

let numerics: Target.Dependency = .product(name: "Numerics", package: "swift-numerics")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "KKREmulator",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kkr-emulator", targets: ["kkr-emulator"]),
        .executable(name: "predict-potential", targets: ["predict-potential"]),
        .library(name: "KKREmulatorCore", targets: ["KKRNumerics", "Elements", "Radial", "ExchangeCorrelation", "SCF",
                                                    "Atom", "PotentialIO", "Lattice", "Storage", "Plotting", "KKR", "Impurity",
                                                    "Descriptors", "Emulator", "BatchRunner", "Workflows"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries (one per C library; the shims explain the workarounds).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", path: "Sources/CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        // No pkgConfig for GSL on purpose: it would make libgslcblas a direct dependency that
        // can shadow OpenBLAS' cblas_* symbols (docs/numerics.md).
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5-serial",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CXC", path: "Sources/CXC", pkgConfig: "libxc",
                       providers: [.apt(["libxc-dev"])]),

        // Foundation: numerics, periodic table, radial mesh.
        .target(name: "KKRNumerics", dependencies: ["CBLAS", "CLAPACKE", "CGSL", numerics]),
        .target(name: "Elements"),
        .target(name: "Radial", dependencies: ["KKRNumerics"]),
        .target(name: "ExchangeCorrelation", dependencies: ["CXC"]),
        .target(name: "SCF", dependencies: ["KKRNumerics"]),
        .target(name: "Storage", dependencies: ["CHDF5"]),
        .target(name: "Plotting"),
        .target(name: "Lattice", dependencies: ["KKRNumerics"]),

        // Physics.
        .target(name: "Atom", dependencies: ["KKRNumerics", "Elements", "Radial", "ExchangeCorrelation", "SCF"]),

        .target(name: "KKR", dependencies: ["KKRNumerics", "Radial", "Lattice", "Atom", "ExchangeCorrelation", "SCF",
                                            "Elements", "PotentialIO"]),

        .target(name: "Impurity", dependencies: ["KKR", "KKRNumerics", "Radial", "Lattice", "Atom", "Elements",
                                                 "ExchangeCorrelation", "SCF", "Storage", "PotentialIO"]),

        // Machine learning: Jacobi–Legendre descriptors and the Bayesian linear emulator.
        .target(name: "Descriptors", dependencies: ["KKRNumerics", "Elements", "Lattice"]),
        .target(name: "Emulator", dependencies: ["Descriptors", "KKRNumerics", "Radial", "Storage", "Elements", "Lattice"]),

        // Drivers: the dataset batch runner (issue 9).
        .target(name: "BatchRunner", dependencies: ["Storage", "Elements"]),

        // Workflows: glue between the solvers, the emulator and the batch runner (dataset
        // generation, emulator starts, convergence benchmark).
        .target(name: "Workflows", dependencies: ["Impurity", "KKR", "Emulator", "Descriptors", "BatchRunner", "PotentialIO",
                                                  "Atom", "Elements", "Lattice", "Radial", "KKRNumerics", "Storage", "SCF",
                                                  "Plotting", "ExchangeCorrelation"]),

        // File formats.
        .target(name: "PotentialIO", dependencies: ["Elements", "Radial"]),

        // Command-line tools (thin).
        .executableTarget(name: "kkr-emulator",
                          dependencies: ["KKRNumerics", "Elements", "Radial", "Atom", "PotentialIO", "Lattice",
                                         "Storage", "Plotting", "KKR", "SCF", "Impurity", "Workflows", "BatchRunner", "Emulator",
                                         argumentParser]),
        // Emulator starting potentials for KKRimp (issue 8).
        .executableTarget(name: "predict-potential", dependencies: ["Workflows", argumentParser]),
        // Test helper: `dataset generate|merge` with the fake runner, for the kill/restart and Slurm tests.
        .executableTarget(name: "batch-runner-testjob", dependencies: ["BatchRunner", argumentParser]),

        .testTarget(name: "KKRNumericsTests", dependencies: ["KKRNumerics", "CBLAS", "CGSL", numerics]),
        .testTarget(name: "ElementsTests", dependencies: ["Elements"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RadialTests", dependencies: ["Radial", "KKRNumerics"]),
        .testTarget(name: "ExchangeCorrelationTests", dependencies: ["ExchangeCorrelation"]),
        .testTarget(name: "SCFTests", dependencies: ["SCF"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "LatticeTests", dependencies: ["Lattice", "KKRNumerics"]),
        .testTarget(name: "AtomTests", dependencies: ["Atom", "Elements", "Radial"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KKRTests", dependencies: ["KKR", "KKRNumerics", "Radial", "Lattice", "SCF", "Atom", "Elements", "PotentialIO", numerics],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ImpurityTests", dependencies: ["Impurity", "KKR", "KKRNumerics", "Lattice", "Radial", "SCF", "PotentialIO", "Elements"]),
        .testTarget(name: "DescriptorsTests", dependencies: ["Descriptors", "KKRNumerics", "Elements", "Lattice"]),
        .testTarget(name: "EmulatorTests", dependencies: ["Emulator", "Descriptors", "KKRNumerics", "Radial", "Storage",
                                                          "Elements", "Lattice"]),
        .testTarget(name: "BatchRunnerTests", dependencies: ["BatchRunner", "Storage"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "Emulator", "Impurity", "PotentialIO", "Elements"]),
        .testTarget(name: "PotentialIOTests", dependencies: ["PotentialIO", "Radial", "Elements"], resources: [.copy("Fixtures")]),
    ]
)
