import Benchmark
import Elements
import Foundation
import Impurity
import Workflows

/// Emulator prediction of one impurity cluster (issue 8 target: under 10 ms): the shipped model
/// (`Potentials/model.h5`) and the shipped Cu host with its Green function
/// (`Potentials/hostcache/`), Fe in Cu, 13 sites, both spins, descriptors + means + variances.
/// The second benchmark is the whole `predict-potential` job: load the model, read the host
/// potential file, predict, write the KKRimp potential and scoef (the CLI's cost).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(5), maxIterations: 200)
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let potentials = root + "/Potentials"
    guard let predictor = try? EmulatorPredictor.load(potentials + "/model.h5"),
          let cache = (try? FileManager.default.contentsOfDirectory(atPath: potentials + "/hostcache"))?.first(where: { $0.hasPrefix("Cu-") }),
          let green = try? HostFile.readGreenFunction(path: potentials + "/hostcache/" + cache, shells: 1),
          let host = try? EmulatorHost(green.host),
          let fe = try? PeriodicTable.element(symbol: "Fe") else {
        fatalError("EmulatorBench needs Potentials/model.h5 and Potentials/hostcache/Cu-*.h5")
    }
    Benchmark("emulator prediction, Fe in Cu (13 sites, 2 spins, with variances)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try predictor.predict(host: host, impurity: fe, spinCount: 2)) }
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emubench").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    Benchmark("predict-potential job, Fe in Cu (load model, read host file, predict, write KKRimp files)",
              configuration: .init(maxDuration: .seconds(10), maxIterations: 20)) { benchmark in
        for _ in benchmark.scaledIterations {
            var o = PredictPotentialOptions(host: "Cu", impurity: "Fe", outputPath: dir + "/potential")
            o.modelPath = potentials + "/model.h5"
            o.hostPotentialPath = potentials + "/hosts/Cu.potential"
            o.force = true
            blackHole(try PredictPotential.run(o))
        }
    }
}
