import ArgumentParser
import Foundation
import KKR
import Radial
import SCF

/// `kkr-emulator host --element Cu --lattice fcc --a 6.82 [--spin]`: self-consistent host crystal.
struct HostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Self-consistent screened-KKR host (ASA, scalar-relativistic, LDA), fcc or bcc, one atom per cell.")

    @Option(help: "Host element, e.g. Cu.") var element: String
    @Option(help: "Lattice: fcc or bcc.") var lattice: String = "fcc"
    @Option(name: .customLong("a"), help: "Cubic lattice constant in bohr.") var latticeConstant: Double
    @Flag(help: "Spin-polarised (collinear) calculation with a magnetic start.") var spin = false
    @Option(help: "Angular momentum cutoff l_max.") var lmax: Int = 3
    @Option(help: "Electronic temperature of the contour (K).") var temperature: Double = 800
    @Option(help: "Points on the horizontal contour leg (NPT2).") var npt2: Int = 24
    @Option(help: "k-mesh schedule: standard or coarse.") var kmesh: String = "standard"
    @Option(help: "rms convergence threshold (Ry).") var tolerance: Double = 1e-8
    @Option(help: "Maximum number of SCF iterations.") var maxIterations: Int = 200
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard ["fcc", "bcc"].contains(lattice.lowercased()) else { throw ValidationError("--lattice must be fcc or bcc") }
        guard latticeConstant > 2 && latticeConstant < 20 else { throw ValidationError("--a must be a lattice constant in bohr (2…20)") }
        guard (1...4).contains(lmax) else { throw ValidationError("--lmax must be 1…4") }
        guard ["standard", "coarse"].contains(kmesh) else { throw ValidationError("--kmesh must be standard or coarse") }
    }

    func run() throws {
        var s = HostSettings(elementSymbol: element, lattice: lattice.lowercased(), latticeConstantBohr: latticeConstant)
        s.spinPolarized = spin
        s.lmax = lmax
        s.temperatureK = temperature
        s.horizontalPoints = npt2
        s.kMesh = kmesh == "coarse" ? .coarse : .standard
        s.rmsTolerance = tolerance
        s.maxIterations = maxIterations
        let t0 = Date()
        let result = try HostCalculation.run(s) { rec, _ in
            let d = rec.diagnostics
            let line = String(format: "iter %3d  rms %.3e  E_F %.6f Ry  dN %+.2e  m %+.4f μB  %.1f s",
                              rec.iteration, rec.rms, d["fermiEnergyRy"] ?? .nan, d["chargeError"] ?? .nan,
                              d["magneticMomentMuB"] ?? 0, Date().timeIntervalSince(t0))
            FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
        }
        if json {
            let obj: [String: Any] = [
                "element": element, "lattice": lattice, "latticeConstantBohr": latticeConstant,
                "fermiEnergyRy": result.fermiEnergyRy, "magneticMomentMuB": result.magneticMomentMuB,
                "iterations": result.history.count, "finalRms": result.history.last?.rms ?? .nan,
                "dosAtFermiStatesPerRy": result.densityOfStatesAtFermi, "valenceElectrons": result.valenceElectrons,
                "wallSeconds": result.wallSeconds,
                "coreLevelsRy": result.coreLevels.map { ["n": $0.n, "l": $0.l, "energyRy": $0.energyRy] },
            ]
            let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "%@ %@ a = %.4f bohr: E_F = %.6f Ry, m = %.4f μB, N(E_F) = %.3f states/Ry, %d iterations, %.1f s",
                         element, lattice, latticeConstant, result.fermiEnergyRy, result.magneticMomentMuB,
                         result.densityOfStatesAtFermi, result.history.count, result.wallSeconds))
        }
    }
}
