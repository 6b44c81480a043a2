import ArgumentParser
import Foundation
import PotentialIO

/// `kkr-emulator potential inspect|diff|interpolate`: JuKKR/KKRimp potential files (docs/formats.md).
struct PotentialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "potential",
        abstract: "Inspect, compare and interpolate JuKKR/KKRimp potential files.",
        subcommands: [Inspect.self, Diff.self, Interpolate.self])

    /// Options shared by the subcommands.
    struct FileOptions: ParsableArguments {
        @Option(help: "NSPIN of the file(s) (1 or 2). Default: 2 when the block titles alternate SPIN DOWN/SPIN UP, else 1.")
        var nspin: Int?

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func validate() throws {
            if let n = nspin, n != 1 && n != 2 { throw ValidationError("--nspin must be 1 or 2, got \(n)") }
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a potential file: sites, Z, spins, mesh, lmax, E_F, core levels.",
            discussion: "Energies in Ry, lengths in bohr. IMT is estimated from RMTNEW, A and B (no shapefun needed).")

        @Argument(help: "The potential file (potential, out_potential, output.pot, KKRimp potential).")
        var file: String

        @OptionGroup var options: FileOptions

        func run() throws {
            let pot = try readPotential(file, nspin: options.nspin)
            let summary = PotentialSummary(pot, path: file)
            if options.json {
                print(try jsonText(summary))
            } else {
                print(PotentialCommand.table(summary))
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two potentials on the same meshes: rms and max |ΔV| per site, spin and lm.",
            discussion: """
                ΔV = V(B) − V(A) of the stored quantities: lm = 1 is vm2z (the spherical potential without −2Z/r), \
                lm ≥ 2 the non-spherical V_L on the outer IRNS+1 points. rms is unweighted over the mesh points. \
                Energies in Ry.
                """)

        @Argument(help: "Potential file A.")
        var a: String

        @Argument(help: "Potential file B.")
        var b: String

        @OptionGroup var options: FileOptions

        func run() throws {
            let pa = try readPotential(a, nspin: options.nspin)
            let pb = try readPotential(b, nspin: options.nspin)
            let diff = try PotentialDifference(pa, pb, pathA: a, pathB: b)
            if options.json {
                print(try jsonText(diff))
            } else {
                print(PotentialCommand.table(diff))
            }
        }
    }

    struct Interpolate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write V_A + t (V_B − V_A) for two potentials of the same system on the same meshes.",
            discussion: """
                Every stored array is interpolated (vm2z and each lm component; a component missing from one file \
                counts as zero). Headers and core levels are A's. With A a converged potential and B a start, \
                t = 0.1 is a start ten times closer to convergence than B (docs/results/benchmark). The output is \
                written through a temporary file and renamed.
                """)

        @Argument(help: "Potential file A (t = 0).")
        var a: String

        @Argument(help: "Potential file B (t = 1).")
        var b: String

        @Option(name: .customLong("fraction"), help: "Interpolation parameter t (0 = A, 1 = B).")
        var fraction: Double

        @Option(name: [.short, .customLong("output")], help: "Output potential file.")
        var output: String

        @Flag(help: "Overwrite an existing output file.")
        var force = false

        @OptionGroup var options: FileOptions

        func validate() throws {
            guard fraction.isFinite && abs(fraction) <= 10 else { throw ValidationError("--fraction must be a finite number in [−10, 10], got \(fraction)") }
            if !force && FileManager.default.fileExists(atPath: output) { throw ValidationError("\(output) exists; use --force to overwrite") }
        }

        func run() throws {
            let pa = try readPotential(a, nspin: options.nspin)
            let pb = try readPotential(b, nspin: options.nspin)
            let mixed = try PotentialFile.interpolating(from: pa, to: pb, fraction: fraction, pathA: a, pathB: b)
            try mixed.write(to: output, overwrite: force)
            let diff = try PotentialDifference(pa, mixed, pathA: a, pathB: output)
            if options.json {
                print(try jsonText(["output": output, "fraction": String(fraction), "maxAbsDeltaVFromARy": String(diff.maxAbsDeltaVRy)]))
            } else {
                print("wrote \(output): V_A + \(fraction) (V_B − V_A), max |V − V_A| = \(String(format: "%.4e", diff.maxAbsDeltaVRy)) Ry")
            }
        }
    }

    static func table(_ s: PotentialSummary) -> String {
        var out = "\(s.path): \(s.siteCount) site(s), NSPIN = \(s.spinCount), \(s.blocks.count) block(s)\n"
        var rows = [["site", "spin", "label", "Z", "NR", "A", "B/bohr", "IMT~", "IRNS+1", "LMPOT", "lmax", "lm",
                     "E_F/Ry", "VBC/Ry", "ALAT/bohr", "RMTNEW/bohr", "RWS/bohr"]]
        for b in s.blocks {
            rows.append([
                "\(b.site)", b.spin, b.label, fmt(b.nuclearCharge, 3), "\(b.radialPoints)", fmt(b.meshA, 4),
                String(format: "%.6e", b.meshBBohr), b.muffinTinIndexEstimate.map(String.init) ?? "-",
                "\(b.nonSphericalPoints)", b.lmpot.map(String.init) ?? "-", b.lmax.map(String.init) ?? "-",
                b.lmComponents.isEmpty ? "-" : b.lmComponents.map(String.init).joined(separator: ","),
                fmt(b.fermiEnergyRy, 6), fmt(b.vbcRy, 6), fmt(b.latticeConstantBohr, 6),
                fmt(b.adaptedMuffinTinRadiusBohr, 6), fmt(b.wignerSeitzRadiusBohr, 5),
            ])
        }
        out += columns(rows)
        out += "core levels (Ry):\n"
        for b in s.blocks {
            let cores = b.coreStates.map { "\($0.label) \(fmt($0.energyRy, 4))" }.joined(separator: ", ")
            out += "  site \(b.site) \(b.spin): \(cores.isEmpty ? "none" : cores)\n"
            if !b.kkrimpTitle { out += "  warning: title lacks POTENTIAL in columns 6-14 (KKRimp will not find this block)\n" }
        }
        return out
    }

    static func table(_ d: PotentialDifference) -> String {
        var out = "ΔV = V(\(d.pathB)) − V(\(d.pathA)); max |ΔV| = \(String(format: "%.6e", d.maxAbsDeltaVRy)) Ry\n"
        for h in d.headers where h.nuclearChargeA != h.nuclearChargeB || h.fermiEnergyDeltaRy != 0 || h.vbcDeltaRy != 0 {
            out += "site \(h.site) \(h.spin): Z \(h.nuclearChargeA) → \(h.nuclearChargeB), ΔE_F = \(String(format: "%.3e", h.fermiEnergyDeltaRy)) Ry, ΔVBC = \(String(format: "%.3e", h.vbcDeltaRy)) Ry\n"
        }
        var rows = [["site", "spin", "lm", "l", "m", "points", "rms|ΔV|/Ry", "max|ΔV|/Ry", "at i", "in"]]
        for c in d.components {
            rows.append(["\(c.site)", c.spin, "\(c.lm)", "\(c.l)", "\(c.m)", "\(c.points)",
                         String(format: "%.4e", c.rmsDeltaVRy), String(format: "%.4e", c.maxAbsDeltaVRy),
                         "\(c.radialIndexOfMax)", c.presentIn])
        }
        return out + columns(rows)
    }

    private static func fmt(_ x: Double, _ d: Int) -> String { String(format: "%.\(d)f", x) }

    /// Left-aligned columns, two blanks apart.
    private static func columns(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
        return rows.map { row in
            zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

/// Reads a potential file. A malformed file throws a `PotentialFileError`, which the argument
/// parser prints ("Error: potential file X line 12: expected …") before exiting with status 1.
private func readPotential(_ path: String, nspin: Int?) throws -> PotentialFile {
    try PotentialFile.read(path: path, spinCount: nspin)
}

private func jsonText<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try enc.encode(value), as: UTF8.self)
}
