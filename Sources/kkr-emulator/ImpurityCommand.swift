import ArgumentParser
import Elements
import Foundation
import Impurity
import KKR
import Plotting
import PotentialIO
import SCF

/// `kkr-emulator impurity --host Cu --impurity Fe [--shells 1] [--start host|atomic|FILE] [--spin]`.
struct ImpurityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impurity",
        abstract: "Self-consistent substitutional impurity in a converged host (Dyson equation on a cluster, ASA).",
        discussion: """
            The host is computed once and cached in --cache-dir (HDF5, with its cluster Green \
            function). Writes the converged cluster potential in the KKRimp layout (-o), the \
            cluster positions as scoef, a JSON summary (<output>.json), the convergence curve \
            (<output>.convergence.svg) and, after every iteration, <output>.restart for --start.
            """)

    @Option(help: "Host element, e.g. Cu (or give --host-file).") var host: String?
    @Option(help: "A host file (HDF5, from an earlier run or a dataset's hostcache/) to use instead of --host.")
    var hostFile: String?
    @Option(help: "Host lattice (default: the element's structure).") var lattice: String?
    @Option(name: .customLong("a"), help: "Host lattice constant in bohr (default: experimental).") var latticeConstant: Double?
    @Option(help: "Impurity element, e.g. Fe.") var impurity: String
    @Option(help: "Neighbour shells in the cluster.") var shells: Int = 1
    @Option(help: "Starting potential: host, atomic, or a potential file.") var start: String = "atomic"
    @Flag(inversion: .prefixedNo, help: "Spin-polarised impurity (magnetic start).") var spin = true
    @Option(help: "Host angular momentum cutoff.") var lmax: Int = 3
    @Option(help: "Host k-mesh schedule: coarse, standard or fine.") var kmesh: String = "standard"
    @Option(help: "Electronic temperature of the host contour (K); the impurity uses the host's contour.") var temperature: Double = 800
    @Option(help: "rms convergence threshold (Ry).") var tolerance: Double = 1e-8
    @Option(help: "Maximum number of SCF iterations.") var maxIterations: Int = 150
    @Option(help: "Straight-mixing factor of the first iterations (default: 0.05 for one shell, 0.02 for more).") var linearAlpha: Double?
    @Option(help: "Number of straight-mixing iterations before the accelerated mixer (default: 5 for one shell, 10 for more).") var linearSteps: Int?
    @Option(help: "Mixing factor of the accelerated mixer (Anderson's β, Broyden's α).") var broydenAlpha: Double = ImpuritySettings(impuritySymbol: "X").broydenAlpha
    @Option(help: "Accelerated mixer: anderson or broyden.") var mixer: String = "anderson"
    @Option(help: "Broyden history length.") var history: Int = ImpuritySettings(impuritySymbol: "X").broydenHistory
    @Option(help: "Anderson safeguard: restart from the best input when the rms exceeds this multiple of the best one (0 = off).")
    var restartFactor: Double = ImpuritySettings(impuritySymbol: "X").andersonRestartFactor ?? 0
    @Option(help: "Anderson history filter: forget secant pairs whose residual exceeds this multiple of the current one (0 = off).")
    var historyFilter: Double = ImpuritySettings(impuritySymbol: "X").andersonHistoryFilter ?? 0
    @Option(help: "End the straight-mixing phase early once the rms is below this (Ry; 0 = never).")
    var switchBelow: Double = ImpuritySettings(impuritySymbol: "X").switchBelowRms ?? 0
    @Option(help: "Extra mixing factor of the magnetic part in straight mixing (JuKKR FCM).") var fcm: Double = ImpuritySettings(impuritySymbol: "X").magneticFactor
    @Option(help: "Directory of cached host files.") var cacheDir: String = "data/hosts"
    @Option(help: "Potential zero of a host computed with --host: muffinTinShell (default) or electrostatic (the database's).")
    var potentialZero: PotentialZero = .muffinTinShell
    @Option(name: [.short, .customLong("output")], help: "Converged cluster potential (KKRimp layout).")
    var output: String = "impurity.potential"
    @Flag(help: "Overwrite existing outputs.") var force = false
    @Flag(help: "Print the JSON summary to stdout.") var json = false

    func validate() throws {
        guard shells >= 1 && shells <= 3 else { throw ValidationError("--shells must be 1…3") }
        guard (1...4).contains(lmax) else { throw ValidationError("--lmax must be 1…4") }
        guard KMeshSchedule.named(kmesh) != nil else { throw ValidationError("--kmesh must be coarse, standard or fine") }
        guard temperature >= 50 && temperature <= 5000 else { throw ValidationError("--temperature must be 50…5000 K") }
        if let linearAlpha, !(linearAlpha > 0 && linearAlpha <= 1) { throw ValidationError("--linear-alpha must be in (0, 1]") }
        if let linearSteps, linearSteps < 0 { throw ValidationError("--linear-steps must be ≥ 0") }
        guard restartFactor == 0 || restartFactor > 1 else { throw ValidationError("--restart-factor must be 0 (off) or > 1") }
        guard historyFilter == 0 || historyFilter > 1 else { throw ValidationError("--history-filter must be 0 (off) or > 1") }
        guard switchBelow >= 0 else { throw ValidationError("--switch-below must be ≥ 0 (0 = never)") }
        if !force {
            for p in [output, output + ".json", output + ".scoef"] where FileManager.default.fileExists(atPath: p) {
                throw ValidationError("\(p) exists; use --force to overwrite")
            }
        }
    }

    func run() throws {
        _ = try PeriodicTable.element(symbol: impurity)
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(($0 + "\n").data(using: .utf8)!) }
        let green: HostClusterGreenFunction
        if let hostFile {
            green = try HostFile.readGreenFunction(path: hostFile, shells: shells)
        } else {
            guard let host else { throw ValidationError("give --host or --host-file") }
            let hostElement = try PeriodicTable.element(symbol: host)
            let entry = HostCatalog.entry(for: hostElement)
            guard let lat = lattice ?? entry?.lattice, let a = latticeConstant ?? entry?.latticeConstantBohr else {
                throw ValidationError("no default lattice for \(host): give --lattice and --a")
            }
            var hs = HostSettings(elementSymbol: hostElement.symbol, lattice: lat, latticeConstantBohr: a)
            hs.lmax = lmax
            hs.kMesh = KMeshSchedule.named(kmesh) ?? .standard
            hs.temperatureK = temperature
            hs.potentialZero = potentialZero
            green = try HostStore.greenFunction(settings: hs, shells: shells, directory: cacheDir, log: log)
        }
        let hostElement = try PeriodicTable.element(atomicNumber: green.host.potential.atomicNumber)
        let host = hostElement.symbol
        let lat = green.host.settings.lattice, a = green.host.settings.latticeConstantBohr
        var s = ImpuritySettings(impuritySymbol: impurity, shells: shells)
        s.spinPolarized = spin
        s.rmsTolerance = tolerance
        s.maxIterations = maxIterations
        if let linearAlpha { s.linearAlpha = linearAlpha }
        if let linearSteps { s.linearSteps = linearSteps }
        s.broydenAlpha = broydenAlpha
        s.broydenHistory = history
        s.andersonRestartFactor = restartFactor > 0 ? restartFactor : nil
        s.andersonHistoryFilter = historyFilter > 0 ? historyFilter : nil
        s.switchBelowRms = switchBelow > 0 ? switchBelow : nil
        s.acceleratedMixer = mixer
        s.magneticFactor = fcm
        let provider: any StartingPotentialProvider
        switch start {
        case "host": provider = HostStart()
        case "atomic": provider = AtomicSuperpositionStart()
        default: provider = FileStart(path: start)
        }
        let t0 = Date()
        log("impurity \(impurity) in \(host): \(green.geometry.count)-site cluster, start \(provider.name)")
        let restartPath = output + ".restart"
        let hostVBC = try green.host.potentialZeroShiftRy()
        let (result, discarded) = try ImpurityCalculation.runScreened(s, green: green, start: provider, log: log) { rec, state in
            let d = rec.diagnostics
            log(String(format: "iter %3d  rms %.3e  m_imp %+.4f μB  q_imp %+.4f  ΔN_cl %+.4f  %@  %.1f s", rec.iteration, rec.rms,
                       d["impurityMomentMuB"] ?? 0, d["impurityCharge"] ?? 0, d["clusterScreeningCharge"] ?? 0, rec.mixer,
                       Date().timeIntervalSince(t0)))
            // restart file: the input potential of this iteration
            let sites = state.sites.map { $0.sitePotential(latticeConstantBohr: a, fermiEnergyRy: green.host.fermiEnergyRy,
                                                           coreLevels: [], exchangeCorrelationName: "Vosko,Wilk,Nusair",
                                                           vbcRy: hostVBC) }
            let blocks = try sites.flatMap { try $0.potentialBlocks() }
            try PotentialFile(blocks: blocks, spinCount: state.sites[0].spinCount).write(to: restartPath, overwrite: true)
        }
        if result.semicoreStartShiftRy != 0 {
            log(String(format: "semicore guard: the impurity's start potential was shifted by %.3f Ry (a core level was inside the "
                       + "valence contour; docs/impurity.md, 'Semicore states')", result.semicoreStartShiftRy))
        }
        try result.potentialFile().write(to: output, overwrite: force)
        try green.geometry.scoef(hostNuclearCharge: Double(hostElement.atomicNumber)).write(to: output + ".scoef", overwrite: force)
        var fig = try Figure(width: 640, height: 420, title: "\(impurity) in \(host): impurity SCF (\(provider.name) start)")
        fig.axes.yScale = .log
        fig.axes.xLabel = "iteration"
        fig.axes.yLabel = "rms error (Ry)"
        try fig.axes.plot(result.history.map(\.rms), label: "rms")
        try fig.axes.horizontalLine(tolerance, label: "tolerance")
        try fig.write(to: output + ".convergence.svg")
        let (dz, dn) = result.friedel
        let summary: [String: Any] = [
            "host": host, "impurity": impurity, "lattice": lat, "latticeConstantBohr": a, "shells": shells,
            "start": provider.name, "spinPolarized": spin, "iterations": result.history.count,
            "rmsHistoryRy": result.history.map(\.rms), "wallSeconds": result.wallSeconds,
            "siteElectrons": result.last.electrons, "siteChargesE": result.last.charges, "siteMomentsMuB": result.last.moments,
            "impurityMomentMuB": result.last.moments[0], "deltaZ": dz, "clusterScreeningChargeE": dn,
            "discardedUnscreenedIterations": discarded, "andersonRestartFactor": result.settings.andersonRestartFactor ?? 0,
            "friedelResidualE": dn - dz, "screened": result.isScreened, "semicoreStartShiftRy": result.semicoreStartShiftRy, "hostFermiEnergyRy": green.host.fermiEnergyRy, "potentialFile": output,
        ]
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
        try AtomicFileWriter.write([UInt8](data), to: output + ".json", overwrite: force)
        try? FileManager.default.removeItem(atPath: restartPath)
        if json { print(String(decoding: data, as: UTF8.self)) } else {
            print(String(format: "%@ in %@: m_imp = %.3f μB, q_imp = %+.3f e, ΔN_cl = %.3f (ΔZ = %.0f), %d iterations, %.1f s → %@",
                         impurity, host, result.last.moments[0], result.last.charges[0], dn, dz, result.history.count,
                         result.wallSeconds, output))
        }
        do { try result.checkScreening() } catch {
            log("error: \(error)")
            throw ExitCode(3)
        }
    }
}
