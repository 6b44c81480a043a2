import Benchmark
import Foundation
import PotentialIO

/// A synthetic 100-site full-potential KKRimp cluster potential in the layout of the Cu
/// fixture (NR = 484, IRNS = 199, LMPOT = 25, lm 21 and 25, 5 core states): smooth analytic
/// values with all 14 printed digits significant.
func syntheticClusterPotential(sites: Int) throws -> PotentialFile {
    let nr = 484, irns = 199
    let a = 0.025, b = 3.9831005e-4
    let r = (0..<nr).map { b * (exp(a * Double($0)) - 1) }
    let vm2z = r.map { 217.58650615899 * exp(-0.6 * $0) + 0.123456789 * $0 }
    let v21 = r.suffix(irns + 1).map { 4.5197353709348e-3 * sin($0) }
    let v25 = r.suffix(irns + 1).map { -3.8198735798790e-3 * cos($0) }
    let cores = [(0, -648.348121093), (0, -77.1420902173), (0, -7.58159692764), (1, -66.5551097217), (1, -4.48191435504)]
        .map { CoreLevelLine(l: $0.0, energyRy: $0.1) }
    let block = PotentialBlock(
        title: PotentialTitle.make(label: "Cu29", spin: .unpolarized, exchangeCorrelation: "Vosko,Wilk,Nusair", serial: "bench"),
        muffinTinRadiusBohr: 2.390621961174540, latticeConstantBohr: 4.829539315504120,
        adaptedMuffinTinRadiusBohr: 2.390621961174539, nuclearCharge: 29, wignerSeitzRadiusBohr: 3.415,
        fermiEnergyRy: 0.639303926975325, vbcRy: 0.717130568775404, radialPointCount: nr, meshA: a, meshBBohr: b,
        coreLevels: cores, fullPotential: FullPotentialHeader(irns: irns, lmpot: 25), vm2zRy: vm2z,
        nonSpherical: [NonSphericalComponent(lm: LMIndex(l: 4, m: 0), valuesRy: v21),
                       NonSphericalComponent(lm: LMIndex(l: 4, m: 4), valuesRy: v25)])
    return try PotentialFile(blocks: Array(repeating: block, count: sites), spinCount: 1)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(3), maxIterations: 100)
    let cluster = try! syntheticClusterPotential(sites: 100)
    let bytes = try! cluster.serialized()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("potentialio-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("potential").path
    try! cluster.write(to: path, overwrite: true)

    Benchmark("parse 100-site FP cluster potential (\(bytes.count / 1024) KiB, in memory)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try PotentialFile(bytes: bytes)) }
    }
    Benchmark("serialize 100-site FP cluster potential (in memory)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try cluster.serialized()) }
    }
    Benchmark("read 100-site FP cluster potential from file") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try PotentialFile.read(path: path)) }
    }
    Benchmark("write 100-site FP cluster potential to file (atomic: temp + fsync + rename)") { benchmark in
        for _ in benchmark.scaledIterations { try cluster.write(to: path, overwrite: true) }
    }
}
