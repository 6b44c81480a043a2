import ArgumentParser
import Foundation
import Workflows

/// `predict-potential --host Cu --impurity Fe -o potential`: a KKRimp-ready starting potential
/// of an impurity cluster from the emulator (docs/emulator.md §14).
@main
struct PredictPotentialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-potential",
        abstract: "Write a KKRimp-ready starting potential of an impurity cluster predicted by the emulator.",
        discussion: """
            The cluster (impurity first, then its neighbour shells) is written in the JuKKR/KKRimp \
            potential format with the impurity's Z, label and core states and ΔV added to the host \
            potential of every site; the cluster positions go to a scoef file next to it. Without \
            --host-potential the shipped host potential Potentials/hosts/<Host>.potential is used; \
            without --model the shipped Potentials/model.h5. The Potentials directory is found \
            from $KKR_EMULATOR_POTENTIALS, else next to the package the executable was built in, \
            else ./Potentials. Prints the predicted impurity moment and charge with their \
            uncertainty and warns outside the trained chemical space.
            """)

    @Option(help: "Host element, e.g. Cu.") var host: String?
    @Option(help: "Impurity element, e.g. Fe.") var impurity: String?
    @Option(help: "Converged host potential (JuKKR format; one site).") var hostPotential: String?
    @Option(help: "Shape functions of a full-potential host potential.") var shapefun: String?
    @Option(help: "Neighbour shells of the cluster (default: the model's).") var shells: Int?
    @Option(help: "Host lattice, fcc or bcc (default: the element's structure).") var lattice: String?
    @Option(help: "Model file (default: the shipped Potentials/model.h5).") var model: String?
    @Option(name: [.short, .customLong("output")], help: "Cluster potential to write.") var output: String?
    @Option(help: "scoef file to write (default: scoef next to the output).") var scoef: String?
    @Flag(help: "Write a non-spin-polarised potential (spins averaged).") var noSpin = false
    @Flag(help: "Overwrite existing output files.") var force = false
    @Flag(help: "Print a JSON summary on stdout.") var json = false
    @Option(help: ArgumentHelp("Export the converged host of a host cache file (dataset hostcache/*.h5) to -o and exit.",
                               visibility: .hidden))
    var exportHostCache: String?

    func validate() throws {
        if exportHostCache != nil {
            guard output != nil else { throw ValidationError("--export-host-cache needs -o FILE") }
            return
        }
        guard host != nil else { throw ValidationError("missing --host (e.g. --host Cu)") }
        guard impurity != nil else { throw ValidationError("missing --impurity (e.g. --impurity Fe)") }
        guard output != nil else { throw ValidationError("missing -o FILE (the cluster potential to write)") }
        if let shells, shells < 1 { throw ValidationError("--shells must be at least 1") }
        if let lattice, !["fcc", "bcc"].contains(lattice.lowercased()) { throw ValidationError("--lattice must be fcc or bcc") }
    }

    func run() throws {
        if let cache = exportHostCache {
            print(try PredictPotential.writeHostPotential(hostFile: cache, to: output!, overwrite: force))
            return
        }
        var o = PredictPotentialOptions(host: host!, impurity: impurity!, outputPath: output!)
        o.hostPotentialPath = hostPotential
        o.shapefunPath = shapefun
        o.shells = shells
        o.lattice = lattice
        o.modelPath = model
        o.scoefPath = scoef
        o.force = force
        o.spinCount = noSpin ? 1 : 2
        let r: PredictPotentialResult
        do {
            r = try PredictPotential.run(o)
        } catch {
            FileHandle.standardError.write("predict-potential: error: \(error)\n".data(using: .utf8)!)
            throw ExitCode(1)
        }
        for w in r.warnings { FileHandle.standardError.write("warning: \(w)\n".data(using: .utf8)!) }
        if json {
            let data = try JSONSerialization.data(withJSONObject: r.json(), options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(r.impurity) in \(r.host) (\(r.lattice), a = \(String(format: "%.4f", r.latticeConstantBohr)) bohr): "
              + "\(r.sites) sites, NSPIN \(r.spinCount) → \(r.outputPath), \(r.scoefPath)")
        if let m = r.impurityMoment, let q = r.impurityNetCharge {
            print(String(format: "  predicted impurity moment %.2f ± %.2f μB, net charge Z − N %+.2f ± %.2f e", m.value, m.sigma, q.value, q.sigma))
        }
        print(String(format: "  ΔV on the impurity site: rms %.4f Ry%@; predictive σ (rms over the sphere) charge %.4f, magnetic %.4f Ry%@",
                     r.impurityDeltaV.total, r.correctionToStart.map { String(format: " (correction to the atomic start %.4f Ry)", $0.total) } ?? "",
                     r.impuritySigma.charge, r.impuritySigma.magnetic,
                     r.referenceSigmaRy.map { String(format: " (training pairs: typical %.4f Ry)", $0) } ?? ""))
        if let s = r.shellSigma { print(String(format: "  first shell: predictive σ %.4f Ry", s.total)) }
        for n in r.notes { print("  note: \(n)") }
        if !r.insideChemicalSpace { print("  (outside the trained chemical space: see the warnings)") }
    }
}
