import ArgumentParser
import Elements
import Foundation
import KKR
import Plotting
import PotentialIO
import Radial
import SCF

/// `kkr-emulator host --element Cu --lattice fcc --a 6.82 [--spin]`: self-consistent host crystal.
struct HostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Self-consistent screened-KKR host (ASA, scalar-relativistic, LDA), fcc or bcc, one atom per cell.",
        discussion: """
            Writes the converged potential in the JuKKR format (-o), a JSON summary next to it \
            (<output>.json), the convergence curve (<output>.convergence.svg) and, with --dos, the \
            l-resolved density of states (SVG and CSV). Restart with --start FILE.
            """)

    @Option(help: "Host element, e.g. Cu.") var element: String
    @Option(help: "Lattice: fcc or bcc.") var lattice: String = "fcc"
    @Option(name: .customLong("a"), help: "Cubic lattice constant in bohr.") var latticeConstant: Double
    @Flag(help: "Spin-polarised (collinear) calculation with a magnetic start.") var spin = false
    @Option(help: "Angular momentum cutoff l_max.") var lmax: Int = 3
    @Option(help: "Electronic temperature of the contour (K).") var temperature: Double = 800
    @Option(help: "Points on the horizontal contour leg (NPT2).") var npt2: Int = 24
    @Option(help: "k-mesh schedule: coarse, standard or fine (docs/results/host-convergence.md).") var kmesh: String = "standard"
    @Option(help: "rms convergence threshold (Ry).") var tolerance: Double = 1e-8
    @Option(help: "Maximum number of SCF iterations.") var maxIterations: Int = 200
    @Option(name: [.short, .customLong("output")], help: "Converged potential file (JuKKR format).")
    var output: String = "host.potential"
    @Flag(help: "Overwrite existing output files.") var force = false
    @Option(help: "Restart from this potential file (JuKKR format, spherical mesh).") var start: String?
    @Option(help: "Start Fermi energy (Ry) for --start (default: the file's E_F).") var startFermiEnergy: Double?
    @Option(help: "Write the density of states to this SVG file (and a CSV next to it).") var dos: String?
    @Option(help: "ASA potential zero: muffinTinShell (JuKKR's: ⟨V⟩ = 0 over R_MT < r < R_WS) or electrostatic (V_H(R_WS) = 0; hosts before stop 16).")
    var potentialZero: PotentialZero = .muffinTinShell
    @Flag(help: "Print the JSON summary to stdout.") var json = false

    func validate() throws {
        guard ["fcc", "bcc"].contains(lattice.lowercased()) else { throw ValidationError("--lattice must be fcc or bcc") }
        guard latticeConstant > 2 && latticeConstant < 20 else { throw ValidationError("--a must be a lattice constant in bohr (2…20)") }
        guard (1...4).contains(lmax) else { throw ValidationError("--lmax must be 1…4") }
        guard KMeshSchedule.named(kmesh) != nil else { throw ValidationError("--kmesh must be coarse, standard or fine") }
        guard tolerance > 0 else { throw ValidationError("--tolerance must be positive") }
        if !force {
            for p in [output, output + ".json"] + (dos.map { [$0] } ?? []) where FileManager.default.fileExists(atPath: p) {
                throw ValidationError("\(p) exists; use --force to overwrite")
            }
        }
    }

    func run() throws {
        var s = HostSettings(elementSymbol: element, lattice: lattice.lowercased(), latticeConstantBohr: latticeConstant)
        s.spinPolarized = spin
        s.lmax = lmax
        s.temperatureK = temperature
        s.horizontalPoints = npt2
        s.kMesh = KMeshSchedule.named(kmesh) ?? .standard
        s.rmsTolerance = tolerance
        s.maxIterations = maxIterations
        s.potentialZero = potentialZero
        var startState: HostState?
        if let path = start {
            let file = try PotentialFile.read(path: path)
            let site = try SitePotential(blocks: file.blocks, mesh: try SiteMesh(block: file.blocks[0]))
            var v = try SphericalPotential(site: site)
            if spin && v.spinCount == 1 { v.smooth = [v.smooth[0], v.smooth[0]] }
            if !spin && v.spinCount == 2 { v.smooth = [zip(v.smooth[0], v.smooth[1]).map { ($0 + $1) / 2 }] }
            startState = HostState(potential: v, fermiEnergyRy: startFermiEnergy ?? site.fermiEnergyRy)
        }
        let t0 = Date()
        FileHandle.standardError.write("host \(element) \(lattice) a = \(latticeConstant) bohr, l_max \(lmax)\(spin ? ", spin-polarised" : ""): setting up (free atom, Fermi level)…\n".data(using: .utf8)!)
        let result = try HostCalculation.run(s, start: startState) { rec, _ in
            let d = rec.diagnostics
            let line = String(format: "iter %3d  rms %.3e  E_F %.6f Ry  ΔN %+.2e  m %+.4f μB  %@  %.1f s",
                              rec.iteration, rec.rms, d["fermiEnergyRy"] ?? .nan, d["chargeError"] ?? .nan,
                              d["magneticMomentMuB"] ?? 0, rec.mixer, Date().timeIntervalSince(t0))
            FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
        }
        // potential file
        let file = try PotentialFile(blocks: try result.sitePotential.potentialBlocks(), spinCount: result.potential.spinCount)
        try file.write(to: output, overwrite: force)
        // convergence plot
        var fig = try Figure(width: 640, height: 420, title: "\(element) \(lattice) host SCF")
        fig.axes.yScale = .log
        fig.axes.xLabel = "iteration"
        fig.axes.yLabel = "rms error (Ry)"
        try fig.axes.plot(result.history.map(\.rms), label: "rms")
        try fig.axes.horizontalLine(tolerance, label: "tolerance")
        try fig.write(to: output + ".convergence.svg")
        var summary: [String: Any] = [
            "element": element, "lattice": lattice, "latticeConstantBohr": latticeConstant, "lmax": lmax,
            "spinPolarized": spin, "fermiEnergyRy": result.fermiEnergyRy, "magneticMomentMuB": result.magneticMomentMuB,
            "iterations": result.history.count, "finalRmsRy": result.history.last?.rms ?? .nan,
            "rmsHistoryRy": result.history.map(\.rms),
            "dosAtFermiSmearedStatesPerRy": result.densityOfStatesAtFermi, "valenceElectrons": result.valenceElectrons,
            "wignerSeitzRadiusBohr": result.potential.radiusBohr, "wallSeconds": result.wallSeconds,
            "potentialFile": output, "potentialZero": s.resolvedPotentialZero.rawValue,
            "potentialZeroShiftRy": result.potentialZeroShiftRy,
            "coreLevels": result.coreLevels.map { ["n": $0.n, "l": $0.l, "energyRy": $0.energyRy] },
        ]
        if let dosPath = dos {
            let problem = try result.problem()
            let ef = result.fermiEnergyRy
            FileHandle.standardError.write("density of states on the real axis (η = 5 mRy)…\n".data(using: .utf8)!)
            let d = try problem.densityOfStates(result.potential, from: ef - 0.9, to: ef + 0.3, points: 241, broadeningRy: 0.005)
            let ev = PhysicalConstantsEV.rydberg
            let x = d.energiesRy.map { ($0 - ef) * ev }
            var f = try Figure(width: 720, height: 460, title: "\(element) \(lattice) a = \(latticeConstant) bohr, l_max \(lmax)")
            f.axes.xLabel = "E − E_F (eV)"
            f.axes.yLabel = "DOS (states/eV/atom)"
            if spin {
                // spin-resolved: first channel up, second channel drawn negative
                for (sp, sign) in [(0, 1.0), (1, -1.0)] {
                    let tot = (0..<x.count).map { k in (0...lmax).reduce(0.0) { $0 + d.partial[sp][$1][k] } }
                    try f.axes.plot(x, tot.map { sign * $0 / ev }, label: sp == 0 ? "total, spin 1" : "total, spin 2 (negative)")
                    try f.axes.plot(x, d.partial[sp][2].map { sign * $0 / ev }, label: sp == 0 ? "d, spin 1" : "d, spin 2",
                                    style: LineStyle(dash: .dashed))
                }
                f.axes.yLabel = "DOS per spin (states/eV/atom)"
            } else {
                try f.axes.plot(x, d.total.map { $0 / ev }, label: "total")
                for l in 0...lmax {
                    let pl = d.partial[0][l].map { 2 * $0 }
                    try f.axes.plot(x, pl.map { $0 / ev }, label: Orbital.letter(l))
                }
            }
            try f.axes.verticalLine(0, label: "E_F")
            try f.write(to: dosPath)
            var csv = "energyMinusFermiEV,totalStatesPerEV" + (0...lmax).map { ",\(Orbital.letter($0))StatesPerEV" }.joined() + "\n"
            for k in 0..<x.count {
                var row = String(format: "%.5f,%.6f", x[k], d.total[k] / ev)
                for l in 0...lmax {
                    var v = 0.0
                    for sp in d.partial { v += sp[l][k] }
                    row += String(format: ",%.6f", (spin ? v : 2 * v) / ev)
                }
                csv += row + "\n"
            }
            try AtomicFileWriter.write(csv, to: dosPath + ".csv", overwrite: force)
            let kF = x.enumerated().min { abs($0.element) < abs($1.element) }!.offset
            summary["dosAtFermiStatesPerRy"] = d.total[kF]
            summary["dosFile"] = dosPath
        }
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
        try AtomicFileWriter.write([UInt8](data), to: output + ".json", overwrite: force)
        if json {
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "%@ %@ a = %.4f bohr: E_F = %.6f Ry, m = %.4f μB, %d iterations (rms %.2e), %.1f s → %@",
                         element, lattice, latticeConstant, result.fermiEnergyRy, result.magneticMomentMuB,
                         result.history.count, result.history.last?.rms ?? .nan, result.wallSeconds, output))
        }
    }
}

enum PhysicalConstantsEV {
    /// 1 Ry in eV (KKR_NOTES preamble).
    static let rydberg = 13.605693
}

/// `--potential-zero muffinTinShell|electrostatic` (host and impurity commands).
extension PotentialZero: ExpressibleByArgument {}
