import Foundation
import Testing
@testable import PotentialIO

/// The library functions behind `kkr-emulator potential inspect|diff`, and the command itself.
@Suite struct InspectAndDiffTests {
    @Test func summaryOfTheIronFile() throws {
        let s = PotentialSummary(try PotentialFile.read(path: Fixture.path(Fixture.fe)), path: "fe")
        #expect(s.spinCount == 2 && s.siteCount == 1)
        #expect(s.blocks.map(\.spin) == ["down", "up"])
        let b = s.blocks[0]
        #expect(b.element == "Fe" && b.nuclearCharge == 26)
        #expect(b.lmpot == 49 && b.lmax == 3)
        #expect(b.lmComponents == [21, 25, 43, 47])
        #expect(b.muffinTinIndexEstimate == 349)
        #expect(b.nonSphericalPoints == 200)
        #expect(b.fermiEnergyRy == 0.709043712591069)
        #expect(b.coreStates.map(\.label) == ["1s", "2s", "3s", "2p", "3p"])
        #expect(b.kkrimpTitle)
        let json = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        for key in ["\"fermiEnergyRy\"", "\"vbcRy\"", "\"latticeConstantBohr\"", "\"meshBBohr\"", "\"energyRy\"", "\"lmComponents\""] {
            #expect(json.contains(key))
        }
        let au = PotentialSummary(try PotentialFile.read(path: Fixture.path(Fixture.au)), path: "au").blocks[0]
        #expect(au.lmax == nil && au.lmpot == nil && !au.fullPotential && au.coreStates.count == 12)
    }

    @Test func differenceOfKnownChanges() throws {
        let a = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        var b = a
        b.blocks[0].vm2zRy[10] += 1e-3
        b.blocks[0].nonSpherical[1].valuesRy[5] -= 2e-3                         // lm 25
        b.blocks[0].nonSpherical.insert(NonSphericalComponent(lm: LMIndex(l: 2, m: 0), valuesRy: Array(repeating: 0.5, count: 200)), at: 0)
        b.blocks[0].fermiEnergyRy += 0.25
        let d = try PotentialDifference(a, b, pathA: "a", pathB: "b")
        #expect(d.components.map(\.lm) == [1, 7, 21, 25])
        let sph = d.components[0]
        #expect(sph.points == 484 && sph.radialIndexOfMax == 11)
        #expect(abs(sph.maxAbsDeltaVRy - 1e-3) < 1e-12)
        #expect(abs(sph.rmsDeltaVRy - 1e-3 / 484.0.squareRoot()) < 1e-12)
        #expect(d.components[1].presentIn == "B" && d.components[1].maxAbsDeltaVRy == 0.5 && d.components[1].rmsDeltaVRy == 0.5)
        #expect(d.components[2].maxAbsDeltaVRy == 0 && d.components[2].presentIn == "both")
        #expect(d.components[3].radialIndexOfMax == 284 + 6)                    // outer points start at 285 (1-based)
        #expect(d.maxAbsDeltaVRy == 0.5)
        #expect(d.headers[0].fermiEnergyDeltaRy == (a.blocks[0].fermiEnergyRy + 0.25) - a.blocks[0].fermiEnergyRy)
        // different meshes cannot be compared point by point
        let au = try PotentialFile.read(path: Fixture.path(Fixture.au))
        #expect(throws: PotentialFileError.self) { try PotentialDifference(a, au, pathA: "a", pathB: "au") }
    }

    /// Host block of the Ag:Cu startpot (2024 host run) against the 2018 Cu potential: same
    /// mesh, a small self-consistency difference, E_F 0.640004645627465 − 0.639303926975325.
    @Test func twoCopperRuns() throws {
        let start = try PotentialFile.read(path: Fixture.path(Fixture.agcu))
        let host = try PotentialFile(blocks: [start.blocks[1]], spinCount: 1)
        let cu = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        let d = try PotentialDifference(cu, host, pathA: "cu", pathB: "host")
        #expect(abs(d.headers[0].fermiEnergyDeltaRy - (0.640004645627465 - 0.639303926975325)) < 1e-15)
        #expect(d.maxAbsDeltaVRy > 0 && d.maxAbsDeltaVRy < 0.1)
    }

    // MARK: command line

    private var executable: URL {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("kkr-emulator")
    }

    private func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func commandLine() throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                     "build the package first (swift build --build-tests builds kkr-emulator)")
        let help = try run(["potential", "--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("inspect") && help.out.contains("diff"))
        let inspectHelp = try run(["potential", "inspect", "--help"])
        #expect(inspectHelp.out.contains("--nspin") && inspectHelp.out.contains("--json"))

        let json = try run(["potential", "inspect", Fixture.path(Fixture.cu), "--json"])
        #expect(json.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let blocks = obj?["blocks"] as? [[String: Any]]
        #expect(blocks?.first?["fermiEnergyRy"] as? Double == 0.639303926975325)
        #expect(blocks?.first?["lmComponents"] as? [Int] == [21, 25])

        let table = try run(["potential", "inspect", Fixture.path(Fixture.agcu)])
        #expect(table.status == 0 && table.out.contains("13 site(s), NSPIN = 1") && table.out.contains("Ag47"))

        let same = try run(["potential", "diff", Fixture.path(Fixture.cu), Fixture.path(Fixture.cu)])
        #expect(same.status == 0 && same.out.contains("max |ΔV| = 0.000000e+00 Ry"))

        // malformed input: non-zero exit and the file/line in the message
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let truncated = dir.appendingPathComponent("truncated").path
        try Data(try Fixture.bytes(Fixture.cu).prefix(3000)).write(to: URL(fileURLWithPath: truncated))
        let bad = try run(["potential", "inspect", truncated])
        #expect(bad.status != 0)
        #expect(bad.err.contains("potential file \(truncated) line 45: expected 4 numbers"))   // 3000 bytes = 44 full lines + a cut line
        let badSpin = try run(["potential", "inspect", Fixture.path(Fixture.cu), "--nspin", "3"])
        #expect(badSpin.status != 0 && badSpin.err.contains("--nspin must be 1 or 2"))
        let mismatch = try run(["potential", "diff", Fixture.path(Fixture.cu), Fixture.path(Fixture.au)])
        #expect(mismatch.status != 0 && mismatch.err.contains("the meshes differ"))
    }

    /// `potential interpolate`: V_A + t (V_B − V_A) per stored array; a component missing on one
    /// side counts as zero; a spherical-only A keeps its layout; different systems are refused.
    @Test func interpolationBetweenTwoPotentials() throws {
        let a = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        var b = a
        b.blocks[0].vm2zRy = b.blocks[0].vm2zRy.map { $0 + 1 }
        b.blocks[0].nonSpherical[0].valuesRy = b.blocks[0].nonSpherical[0].valuesRy.map { $0 * 3 }
        b.blocks[0].nonSpherical.insert(NonSphericalComponent(lm: LMIndex(l: 2, m: 0), valuesRy: Array(repeating: 0.4, count: 200)), at: 0)
        let m = try PotentialFile.interpolating(from: a, to: b, fraction: 0.25)
        let x = a.blocks[0], y = m.blocks[0]
        #expect(zip(x.vm2zRy, y.vm2zRy).allSatisfy { abs($1 - $0 - 0.25) < 1e-12 })
        #expect(y.nonSpherical.map(\.lm) == [LMIndex(l: 2, m: 0)] + x.nonSpherical.map(\.lm))
        #expect(y.component(LMIndex(l: 2, m: 0))!.allSatisfy { abs($0 - 0.1) < 1e-15 })
        let lm21 = x.nonSpherical[0].lm
        #expect(zip(x.component(lm21)!, y.component(lm21)!).allSatisfy { abs($1 - 1.5 * $0) <= 1e-15 * abs($0) })
        #expect(try PotentialFile.interpolating(from: a, to: b, fraction: 0) .blocks[0].vm2zRy == x.vm2zRy)
        // A spherical-only start (a restart file) against a full-potential B: A's layout.
        let au = try PotentialFile.read(path: Fixture.path(Fixture.au))
        var au2 = au
        au2.blocks[0].vm2zRy = au2.blocks[0].vm2zRy.map { $0 - 2 }
        let half = try PotentialFile.interpolating(from: au, to: au2, fraction: 0.5)
        #expect(zip(au.blocks[0].vm2zRy, half.blocks[0].vm2zRy).allSatisfy { abs($0 - $1 - 1) < 1e-12 })
        #expect(half.blocks[0].nonSpherical.isEmpty)
        // different systems
        #expect(throws: PotentialFileError.self) { _ = try PotentialFile.interpolating(from: a, to: au, fraction: 0.5) }
        var other = b
        other.blocks[0].nuclearCharge = 30
        #expect(throws: PotentialFileError.self) { _ = try PotentialFile.interpolating(from: a, to: other, fraction: 0.5) }
    }
}
