import ArgumentParser
import Atom
import Elements
import ExchangeCorrelation
import Foundation
import Radial

/// `kkr-emulator atom Fe [--relativistic scalar|none] [--spin] [--functional vwn|pw92] [--json]`:
/// the self-consistent free atom (docs/atom.md). Also the validation runs:
/// `--validate-nist FILE [--method LDA|LSD|ScRLDA|all]` and `--sweep` (Z = 1…92).
struct AtomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atom",
        abstract: "Self-consistent free-atom LDA/LSDA (non- or scalar-relativistic).",
        discussion: """
            Energies are printed in Hartree and Rydberg. Defaults follow the NIST atomic tables \
            (VWN, c = 137.0359895 a.u.; scalar-relativistic: MacDonald–Vosko exchange, large-component \
            density); --conventions jukkr uses the KKR code's (c = 274.0720442 Ry units, plain LDA \
            exchange, P² + Q²/c² densities).
            Validation: --validate-nist FILE compares with a NIST table in the CSV layout of \
            ../shared/reference/nist_lda_atoms.csv and exits with status 1 when a deviation exceeds \
            --tolerance-ha; --sweep solves every Z = 1…92 and reports iterations and timings.
            """)

    enum RelativityOption: String, ExpressibleByArgument, CaseIterable { case none, scalar }
    enum ConventionOption: String, ExpressibleByArgument, CaseIterable { case nist, jukkr }

    @Argument(help: "Chemical symbol, e.g. Fe (not needed with --validate-nist or --sweep).")
    var symbol: String?

    @Option(help: "Radial equation: none (Schrödinger) or scalar (Koelling–Harmon).")
    var relativistic: RelativityOption = .none

    @Flag(help: "Spin-polarised LSDA with Hund's-rule occupations of open sub-shells.")
    var spin = false

    @Option(help: "LDA correlation: vwn or pw92.")
    var functional: XCFunctional = .vwn

    @Option(help: "Conventions: nist (default) or jukkr.")
    var conventions: ConventionOption = .nist

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "With --json: include the mesh, densities and potentials per spin channel.")
    var radial = false

    @Flag(help: "Print SCF iterations to stderr.")
    var verbose = false

    @Option(help: "Compare with a NIST reference CSV file (all listed elements).")
    var validateNist: String?

    @Option(help: "NIST method for --validate-nist: LDA, LSD, ScRLDA or all.")
    var method: String = "all"

    @Option(help: "Acceptance tolerance of --validate-nist in Hartree.")
    var toleranceHa: Double = 1e-5

    @Flag(help: "Solve Z = 1…92 with the chosen options and report convergence and timings.")
    var sweep = false

    @Option(help: "SCF tolerance: density-weighted rms of Δv in Ry (default 1e-10).")
    var scfTolerance: Double?

    @Option(help: "Mesh: logarithmic step a (default 0.005).")
    var meshA: Double?

    @Option(help: "Mesh: first point after the origin in bohr (default 1e-7).")
    var rMin: Double?

    @Option(help: "Mesh: last point in bohr (default 50).")
    var rMax: Double?

    func validate() throws {
        if validateNist == nil && !sweep && symbol == nil {
            throw ValidationError("give an element symbol (e.g. 'kkr-emulator atom Fe'), --validate-nist FILE or --sweep")
        }
        if !["all", "LDA", "LSD", "ScRLDA"].contains(method) {
            throw ValidationError("--method must be LDA, LSD, ScRLDA or all (got '\(method)')")
        }
    }

    var settings: AtomSettings {
        var s = AtomSettings()
        s.relativity = relativistic == .scalar ? .scalarRelativistic : .nonRelativistic
        s.spinPolarized = spin
        s.functional = functional
        if let t = scfTolerance { s.potentialTolerance = t }
        if let a = meshA { s.mesh.a = a }
        if let r = rMin { s.mesh.firstPointBohr = r }
        if let r = rMax { s.mesh.rmaxBohr = r }
        return conventions == .jukkr ? s.jukkrConventions : s
    }

    func run() throws {
        if let file = validateNist { try runValidation(file: file); return }
        if sweep { try runSweep(); return }
        let element: Element
        do { element = try PeriodicTable.element(symbol: symbol ?? "") } catch let e as ElementError {
            throw ValidationError(e.description)
        }
        let result = try FreeAtom.solve(element, settings: settings) { rec in
            if verbose {
                let line = String(format: "%3d  rms %.3e  E %.10f Ry  [%@]\n", rec.iteration, rec.rms,
                                  rec.diagnostics["totalEnergyRy"] ?? .nan, rec.mixer)
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        if json { try printJSON(result) } else { printTable(result) }
    }

    func printTable(_ r: AtomResult) {
        let e = r.energies
        let s = r.settings
        print("\(r.element.name) (\(r.element.symbol)), Z = \(r.element.atomicNumber): "
              + "\(s.relativity == .scalarRelativistic ? "scalar-relativistic" : "non-relativistic") "
              + "\(s.spinPolarized ? "LSDA" : "LDA") (\(s.functional.rawValue)), "
              + "\(r.mesh.count) mesh points, \(r.iterations) SCF iterations, \(String(format: "%.3f", r.wallSeconds)) s")
        func pad(_ t: String, _ w: Int) -> String { t.count >= w ? t : t + String(repeating: " ", count: w - t.count) }
        func line(_ name: String, _ ry: Double) { print("  " + pad(name, 22) + String(format: "%20.8f Ha %20.8f Ry", ry / 2, ry)) }
        line("total energy", e.totalRy)
        line("kinetic", e.kineticRy)
        line("Coulomb (Hartree)", e.hartreeRy)
        line("electron-nucleus", e.electronNucleusRy)
        line("exchange-correlation", e.exchangeCorrelationRy)
        if r.channels.count == 2 { print(String(format: "  spin moment %.3f μB", r.magneticMoment)) }
        print("  orbital  spin         occupation      eigenvalue (Ha)      eigenvalue (Ry)    <r> (bohr)")
        for o in r.orbitals {
            print("  " + pad(o.label, 7) + "  " + pad(o.spin.rawValue, 11)
                  + String(format: " %10.4f %20.10f %20.10f %12.5f", o.occupation, o.energyHa, o.energyRy, o.meanRadiusBohr)
                  + (o.isBound ? "" : "  (not bound: box state)"))
        }
    }

    func printJSON(_ r: AtomResult) throws {
        let e = r.energies
        var obj: [String: Any] = [
            "symbol": r.element.symbol, "atomicNumber": r.element.atomicNumber,
            "relativity": r.settings.relativity.rawValue, "spinPolarized": r.settings.spinPolarized,
            "functional": r.settings.functional.rawValue, "speedOfLightRy": r.settings.speedOfLightRy,
            "totalEnergyRy": e.totalRy, "totalEnergyHa": e.totalHa,
            "kineticEnergyRy": e.kineticRy, "hartreeEnergyRy": e.hartreeRy,
            "electronNucleusEnergyRy": e.electronNucleusRy, "exchangeCorrelationEnergyRy": e.exchangeCorrelationRy,
            "magneticMomentBohrMagneton": r.magneticMoment,
            "iterations": r.iterations, "wallSeconds": r.wallSeconds, "meshPoints": r.mesh.count,
            "eigenvalues": r.orbitals.map { o in
                ["n": o.n, "l": o.l, "spin": o.spin.rawValue, "occupation": o.occupation, "energyRy": o.energyRy,
                 "energyHa": o.energyHa, "meanRadiusBohr": o.meanRadiusBohr, "outermostMaximumBohr": o.outermostMaximumBohr,
                 "bound": o.isBound] as [String: Any]
            },
        ]
        if radial {
            obj["spinChannels"] = r.channels.map(\.rawValue)
            obj["meshRadiusBohr"] = r.mesh.r
            obj["meshA"] = r.mesh.a
            obj["meshBBohr"] = r.mesh.b
            obj["densityPerBohr3"] = r.densities
            obj["smoothPotentialRy"] = r.smoothPotentials
            obj["potentialConvention"] = "smooth part v = V + 2Z/r (JuKKR vm2z), Ry; V = v - 2Z/r"
        }
        let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    func runValidation(file: String) throws {
        let reference = try NISTReference(contentsOf: URL(fileURLWithPath: file))
        let methods = method == "all" ? ["LDA", "LSD", "ScRLDA"] : [method]
        var worstOverall = 0.0
        for m in methods {
            let zs = reference.elements(method: m)
            if zs.isEmpty { continue }
            print("\(m): \(zs.count) elements")
            print("  el   Z   |ΔEtot| (Ha)   max|Δε| (Ha)   max|Δ| all (Ha)  iterations  time (s)")
            var worst = 0.0, worstEl = ""
            var totalTime = 0.0
            _ = try NISTValidation.run(reference: reference, method: m, base: settings) { c in
                let all = c.rows.map { abs($0.deviationHa) }.max() ?? 0
                let z = c.rows.isEmpty ? 0 : (try? PeriodicTable.element(symbol: c.symbol).atomicNumber) ?? 0
                print("  " + c.symbol.padding(toLength: 3, withPad: " ", startingAt: 0)
                      + String(format: " %3d   %.2e       %.2e       %.2e         %3d     %.3f", z,
                               c.totalEnergyDeviationHa, c.worstEigenvalueDeviationHa, all, c.iterations, c.wallSeconds)
                      + (c.missing.isEmpty ? "" : "  missing: \(c.missing.joined(separator: ","))"))
                if c.worstDeviationHa > worst { worst = c.worstDeviationHa; worstEl = c.symbol }
                totalTime += c.wallSeconds
            }
            print(String(format: "  worst deviation (Etot and eigenvalues) %.2e Ha (%@); total time %.1f s", worst, worstEl, totalTime))
            worstOverall = max(worstOverall, worst)
        }
        if worstOverall > toleranceHa {
            print(String(format: "FAILED: worst deviation %.2e Ha exceeds %.1e Ha", worstOverall, toleranceHa))
            throw ExitCode(1)
        }
        print(String(format: "OK: all deviations ≤ %.1e Ha", toleranceHa))
    }

    func runSweep() throws {
        let s = settings
        print("sweep Z = 1…92: \(s.relativity.rawValue), \(s.spinPolarized ? "LSDA" : "LDA"), \(s.functional.rawValue)")
        print("  el   Z   Etot (Ha)              iterations  time (s)")
        var failures: [String] = []
        var maxIt = 0, maxTime = 0.0, total = 0.0
        for z in 1...92 {
            let el = try PeriodicTable.element(atomicNumber: z)
            do {
                let r = try FreeAtom.solve(el, settings: s)
                // an empty orbital (e.g. minority 4f of Eu in LSDA) may legitimately be unbound
                let unbound = r.orbitals.filter { !$0.isBound && $0.occupation > 0 }.map(\.label)
                let emptyUnbound = r.orbitals.filter { !$0.isBound && $0.occupation == 0 }.map { "\($0.label)(\($0.spin.rawValue))" }
                print("  " + el.symbol.padding(toLength: 3, withPad: " ", startingAt: 0)
                      + String(format: " %3d  %20.8f   %4d      %.3f", z, r.energies.totalHa, r.iterations, r.wallSeconds)
                      + (unbound.isEmpty ? "" : "  NOT BOUND (occupied): \(unbound.joined(separator: ","))")
                      + (emptyUnbound.isEmpty ? "" : "  empty and unbound: \(emptyUnbound.joined(separator: ","))"))
                maxIt = max(maxIt, r.iterations)
                maxTime = max(maxTime, r.wallSeconds)
                total += r.wallSeconds
                if !unbound.isEmpty { failures.append(el.symbol) }
            } catch {
                print("  \(el.symbol) \(z): FAILED: \(error)")
                failures.append(el.symbol)
            }
        }
        print(String(format: "  max iterations %d, max time %.3f s, total %.1f s", maxIt, maxTime, total))
        if !failures.isEmpty {
            print("FAILED: \(failures.joined(separator: ", "))")
            throw ExitCode(1)
        }
        print("OK: all 92 converged")
    }
}

extension XCFunctional: ExpressibleByArgument {}
