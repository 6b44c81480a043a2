import Benchmark
import Elements
import Foundation
import Impurity
import KKR
import SCF
import Workflows

// Solver benchmarks (issues 6 and 7): the cost of one SCF iteration.
// * Host: fcc Cu, a = 6.82 bohr, l_max 3, the standard k-mesh schedule (30³/20³/14³/10³ by Im E,
//   irreducible wedge) and the default contour (T = 800 K, 7 poles, 3 + 24 + 3 points): one
//   evaluation of the self-consistency map from the superposition start (screened structure
//   constants recomputed for the 37 energy points, as after every Fermi-level change).
// * Impurity: Fe in Cu, 1 shell (13 sites), spin-polarised, dataset settings (host l_max 2):
//   one evaluation of the impurity map (37 energies × 2 spins, Dyson equation, densities, cores,
//   Poisson + LSDA). The host and its cluster Green function are computed once in the set-up
//   (or read from KKR_BENCH_HOST_CACHE, default data/hosts).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
                                           maxDuration: .seconds(60), maxIterations: 5)

    Benchmark("host SCF iteration, Cu fcc l_max 3, standard k-mesh, 37 energy points") { benchmark in
        var s = HostSettings(elementSymbol: "Cu", lattice: "fcc", latticeConstantBohr: 6.82)
        s.lmax = 3
        let setup = try HostCalculation.setup(s)
        var problem = try HostProblem(settings: s, structure: setup.structure, coreStates: setup.coreStates,
                                      valenceElectrons: setup.valenceElectrons)
        let v = try HostCalculation.startingPotential(setup, problem: problem)
        let state = HostState(potential: v, fermiEnergyRy: -0.1356)
        var shift = 0.0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            // a new Fermi level each time, as in the SCF: the screened constants are recomputed
            shift += 1e-4
            blackHole(try problem.evaluate(HostState(potential: state.potential, fermiEnergyRy: state.fermiEnergyRy + shift)))
        }
        benchmark.stopMeasurement()
    }

    Benchmark("impurity SCF iteration, Fe in Cu, 13 sites, l_max 2, 37 energy points") { benchmark in
        let preset = DatasetPreset.standard
        let hs = preset.hostSettings(element: "Cu", lattice: "fcc", latticeConstantBohr: 6.82, spinPolarized: false)
        let dir = ProcessInfo.processInfo.environment["KKR_BENCH_HOST_CACHE"] ?? "data/hosts"
        let green = try HostStore.greenFunction(settings: hs, shells: 1, directory: dir)
        let fe = try PeriodicTable.element(symbol: "Fe")
        var problem = try ImpurityProblem(green: green, sites: try ImpurityCalculation.siteSpecs(green: green, impurity: fe),
                                          spinPolarized: true)
        let ctx = ImpurityStartContext(host: green.host, geometry: green.geometry, impurity: fe, spinCount: 2)
        let start = ImpurityState(sites: try AtomicSuperpositionStart().potentials(ctx))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try problem.evaluate(start))
        }
        benchmark.stopMeasurement()
    }
}
