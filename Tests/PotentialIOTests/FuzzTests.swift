import Testing
@testable import PotentialIO

/// Deterministic mutation fuzzing of the readers: truncations, byte changes, swapped, deleted
/// and duplicated lines of every fixture. Each mutant must either throw `PotentialFileError`
/// or parse to a model that is valid (`validationProblem() == nil`), writes, and reads back to
/// the same model. A crash fails the whole test run; a hang would stop it (the readers consume
/// one line per step, and allocations are bounded by the file size, not by counts in the file).
@Suite struct FuzzTests {
    /// SplitMix64: a small deterministic generator (seeded per fixture).
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutants(of bytes: [UInt8], count: Int, seed: UInt64) -> [[UInt8]] {
        var rng = SplitMix64(state: seed)
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let interesting: [UInt8] = Array(" 0123456789.-+DEdeNa*\t,".utf8) + [0, 10, 13, 0xFF, 0xC3]
        func join(_ ls: [[UInt8]]) -> [UInt8] { Array(ls.joined(separator: [10])) + [10] }
        var out: [[UInt8]] = []
        for k in 0..<count {
            var m = bytes
            switch k % 6 {
            case 0:   // truncation at a random byte
                m = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            case 1:   // 1-3 random byte changes
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let i = Int.random(in: 0..<m.count, using: &rng)
                    m[i] = Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                }
            case 2:   // swap two lines
                var ls = lines
                let i = Int.random(in: 0..<ls.count, using: &rng), j = Int.random(in: 0..<ls.count, using: &rng)
                ls.swapAt(i, j)
                m = join(ls)
            case 3:   // delete a line
                var ls = lines
                ls.remove(at: Int.random(in: 0..<ls.count, using: &rng))
                m = join(ls)
            case 4:   // duplicate a line
                var ls = lines
                let i = Int.random(in: 0..<ls.count, using: &rng)
                ls.insert(ls[i], at: i)
                m = join(ls)
            default:  // change a digit in the header region (counts, indices)
                let limit = min(m.count, 1200)
                let digits = (0..<limit).filter { m[$0] >= 48 && m[$0] <= 57 }
                if let i = digits.randomElement(using: &rng) { m[i] = UInt8.random(in: 48...57, using: &rng) }
            }
            out.append(m)
        }
        return out
    }

    @Test(arguments: [(Fixture.cu, 150), (Fixture.au, 150), (Fixture.fe, 60), (Fixture.agcu, 36)])
    func potentialMutants(_ name: String, _ count: Int) throws {
        var original = try Fixture.bytes(name)
        if name == Fixture.agcu { original = Array(original.prefix(through: nthNewline(original, 477))) }  // blocks 1-2
        let shape = try ShapeFunctionFile.read(path: Fixture.path(Fixture.shapefun)).cells[0]
        var parsed = 0, rejected = 0
        for (k, m) in Self.mutants(of: original, count: count, seed: UInt64(name.utf8.count * 7919)).enumerated() {
            do {
                let file = try PotentialFile(bytes: m, path: "mutant-\(k)")
                parsed += 1
                for b in file.blocks {
                    #expect(b.validationProblem() == nil, "mutant \(k): \(b.validationProblem() ?? "")")
                    // mesh construction throws or succeeds, never traps
                    if let mesh = try? SiteMesh(block: b, shape: b.isFullPotential ? shape : nil) {
                        #expect(mesh.count == b.radialPointCount)
                    }
                }
                // Writing is a fixed point, and the values survive to the printed precision
                // (a hand-edited field with more digits than its column format keeps is
                // rewritten in that format, e.g. "41.000068915168D+03" in a 1p,d20.12 column).
                let written = try file.serialized()
                let again = try PotentialFile(bytes: written, spinCount: file.spinCount)
                #expect(try again.serialized() == written, "mutant \(k): writing is not a fixed point")
                #expect(Self.sameToPrintedPrecision(file, again), "mutant \(k) does not survive write + read")
                _ = PotentialSummary(file, path: "m")
            } catch {
                rejected += 1
            }
        }
        #expect(parsed + rejected == count)
        #expect(rejected > count / 3, "most mutations must be detected (\(rejected) of \(count))")
    }

    @Test func shapefunAndScoefMutants() throws {
        let shape = try Fixture.bytes(Fixture.shapefun)
        var rejected = 0
        for m in Self.mutants(of: shape, count: 120, seed: 17) {
            do {
                let s = try ShapeFunctionFile(bytes: m)
                for c in s.cells {
                    #expect(c.panelPointCounts.reduce(0, +) == c.meshPointCount)
                    #expect(c.components.allSatisfy { $0.thetas.count == c.meshPointCount })
                }
            } catch { rejected += 1 }
        }
        #expect(rejected > 40)
        let scoef = try Fixture.bytes(Fixture.scoef)
        rejected = 0
        for m in Self.mutants(of: scoef, count: 120, seed: 23) {
            do {
                let c = try ImpurityCluster(bytes: m)
                #expect(try ImpurityCluster(bytes: c.serialized()).sites.count == c.sites.count)
            } catch { rejected += 1 }
        }
        #expect(rejected > 40)
    }

    /// Same structure, and every number equal within 1e-11 relative (the coarsest value format,
    /// 1p,d20.12, keeps 13 significant digits) or 1e-98 absolute (tiny values are flushed to 0).
    static func sameToPrintedPrecision(_ a: PotentialFile, _ b: PotentialFile) -> Bool {
        func close(_ x: Double, _ y: Double) -> Bool { abs(x - y) <= max(1e-11 * max(abs(x), abs(y)), 1e-98) }
        func close(_ x: [Double], _ y: [Double]) -> Bool { x.count == y.count && zip(x, y).allSatisfy { close($0, $1) } }
        guard a.spinCount == b.spinCount, a.blocks.count == b.blocks.count else { return false }
        for (p, q) in zip(a.blocks, b.blocks) {
            let sp = [p.muffinTinRadiusBohr, p.latticeConstantBohr, p.adaptedMuffinTinRadiusBohr, p.nuclearCharge,
                      p.wignerSeitzRadiusBohr, p.fermiEnergyRy, p.vbcRy, p.meshA, p.meshBBohr] + p.coreLevels.map(\.energyRy)
            let sq = [q.muffinTinRadiusBohr, q.latticeConstantBohr, q.adaptedMuffinTinRadiusBohr, q.nuclearCharge,
                      q.wignerSeitzRadiusBohr, q.fermiEnergyRy, q.vbcRy, q.meshA, q.meshBBohr] + q.coreLevels.map(\.energyRy)
            guard p.title == q.title, p.radialPointCount == q.radialPointCount, p.coreLevels.map(\.l) == q.coreLevels.map(\.l),
                  p.fullPotential?.irns == q.fullPotential?.irns, p.fullPotential?.lmpot == q.fullPotential?.lmpot,
                  p.nonSpherical.map(\.lm) == q.nonSpherical.map(\.lm), close(sp, sq), close(p.vm2zRy, q.vm2zRy),
                  zip(p.nonSpherical, q.nonSpherical).allSatisfy({ close($0.valuesRy, $1.valuesRy) }) else { return false }
        }
        return true
    }

    private func nthNewline(_ b: [UInt8], _ n: Int) -> Int {
        var seen = 0
        for (i, x) in b.enumerated() where x == 10 {
            seen += 1
            if seen == n { return i }
        }
        return b.count - 1
    }
}
