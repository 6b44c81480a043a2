import Testing
@testable import PotentialIO

/// Malformed input gives a `PotentialFileError` naming the file, the line and what was expected.
@Suite struct MalformedInputTests {
    /// The Cu fixture with some lines replaced (1-based line numbers of the fixture).
    private func cu(replacing changes: [Int: String] = [:], keepingLines n: Int? = nil) throws -> [UInt8] {
        var lines = try Fixture.lines(Fixture.cu)
        for (k, v) in changes { lines[k - 1] = v }
        if let n { lines = Array(lines.prefix(n)) + [""] }
        return Array(lines.joined(separator: "\n").utf8)
    }

    private func error(_ bytes: [UInt8], spinCount: Int? = nil) -> PotentialFileError? {
        do {
            _ = try PotentialFile(bytes: bytes, path: "pot", spinCount: spinCount)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedFileNamesTheMissingData() throws {
        let e = try #require(error(try cu(keepingLines: 100)))
        #expect(e.line == 101)
        #expect(e.description.hasPrefix("potential file pot line 101: unexpected end of file"))
        #expect(e.message.contains("spherical potential values"))
        #expect(e.message.contains("file truncated?"))
        // cut inside the lm = 25 values and inside the header
        #expect(error(try cu(keepingLines: 200))?.line == 201)
        #expect(error(try cu(keepingLines: 4))?.message.contains("line 5 (NR)") == true)
    }

    @Test func shortValueLine() throws {
        let lines = try Fixture.lines(Fixture.cu)
        let e = try #require(error(try cu(replacing: [50: String(lines[49].prefix(60))])))
        #expect(e.line == 50)
        #expect(e.message.hasPrefix("expected 4 numbers of spherical potential values"))
        #expect(e.message.contains("found 3"))
        #expect(e.description == "potential file pot line 50: \(e.message)")
    }

    @Test func wrongCoreCount() throws {
        // NCORE 5 → 6: the NR IRNS LMPOT ISAVE line is then read as a core state
        let e = try #require(error(try cu(replacing: [7: " 6 1"])))
        #expect(e.line == 13)
        #expect(e.message == "expected the core-state l (0…3), found '484'")
        #expect(error(try cu(replacing: [7: "21 1"]))?.message == "NCORE must be 0…20")
        #expect(error(try cu(replacing: [7: " 5 0"]))?.message.hasPrefix("INEW = 0") == true)
    }

    @Test func nonNumericAndNaNFields() throws {
        let lines = try Fixture.lines(Fixture.cu)
        let text = "                 abc" + lines[19].dropFirst(20)
        let e = try #require(error(try cu(replacing: [20: text])))
        #expect(e.line == 20)
        #expect(e.message.contains("columns 1-20, found 'abc'"))
        let nan = String(lines[19].prefix(20)) + "                 NaN" + lines[19].dropFirst(40)
        let n = try #require(error(try cu(replacing: [20: nan])))
        #expect(n.line == 20 && n.message.contains("columns 21-40") && n.message.contains("NaN"))
        #expect(error(try cu(replacing: [4: "   3.41500   NaN   0.717130568775404"]))?.line == 4)
        #expect(error(try cu(replacing: [3: "  Infinity"]))?.message.contains("nuclear charge") == true)
        #expect(error(try cu(replacing: [2: "   2.390621961174540   4.829539315504120"]))?.message
                == "expected 3 values (RMT ALAT RMTNEW), found 2 (line cut short?)")
    }

    @Test func inconsistentHeaderNumbers() throws {
        #expect(error(try cu(replacing: [5: "483"]))?.line == 13)   // NR on line 5 vs the full-potential line
        #expect(error(try cu(replacing: [13: "  484  484   25    1"]))?.message.contains("IRNS = 484") == true)
        #expect(error(try cu(replacing: [13: "  484  199   24    1"]))?.message.contains("LMPOT = 24 must be a square") == true)
        #expect(error(try cu(replacing: [13: "  484  199   25    2"]))?.message.contains("ISAVE = 2") == true)
        #expect(error(try cu(replacing: [6: " 0.00000000D+00 0.39831005D-03"]))?.line == 6)
        // lm index beyond LMPOT, duplicated lm
        let e = try #require(error(try cu(replacing: [135: "   26"])))
        #expect(e.line == 135 && e.message.contains("lm = 26 is out of range: expected 2…LMPOT = 25"))
        #expect(error(try cu(replacing: [186: "   21"]))?.message == "lm = 21 appears twice in this block")
    }

    @Test func fileLevelErrors() throws {
        #expect(error([])?.message == "no potential block found (empty file)")
        #expect(error(Array("\n\n".utf8))?.message == "no potential block found (empty file)")
        // one block cannot make NSPIN = 2
        #expect(error(try Fixture.bytes(Fixture.cu), spinCount: 2)?.message.contains("NSPIN = 2") == true)
        // full-potential and spherical blocks in one file
        let mixed = try Fixture.bytes(Fixture.cu) + Fixture.bytes(Fixture.au)
        let e = try #require(error(mixed))
        #expect(e.line == 238 && e.message.hasPrefix("block 2 is spherical"))
        // garbage after the last block
        let extra = try Fixture.bytes(Fixture.cu) + Array("garbage\n".utf8)
        #expect(error(extra)?.line == 239)
        // missing file
        #expect(throws: PotentialFileError.self) { try PotentialFile.read(path: "/nonexistent/potential") }
        do { _ = try PotentialFile.read(path: "/nonexistent/potential") } catch {
            #expect(error.description == "potential file /nonexistent/potential: cannot open the file (No such file or directory)")
        }
    }

    /// The mesh checks of KKRhost/KKRimp against the shapefun (FORMATS.md §1a "Radial mesh").
    @Test func meshParameterMismatch() throws {
        let cuFile = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        let shape = try ShapeFunctionFile.read(path: Fixture.path(Fixture.shapefun)).cells[0]
        var block = cuFile.blocks[0]
        // no shapefun for a full potential
        #expect(throws: PotentialFileError.self) { try SiteMesh(block: block) }
        // NR ≠ IMT + MESHN: drop the last panel of the shape
        var short = shape
        short.panelPointCounts.removeLast()
        short.radiiAlat.removeLast(54)
        short.drdiAlat.removeLast(54)
        do { _ = try SiteMesh(block: block, shape: short); Issue.record("expected an error") } catch {
            #expect(error.message.contains("NR = 484 but IMT + MESHN = 349 + 81"))
            #expect(error.line == 1 && error.path == Fixture.path(Fixture.cu))
        }
        // IMT even (B changed so that ln(RMTNEW/B+1)/A = 349)
        block.meshBBohr = 2.390621961174539 / (exp(0.025 * 349) - 1)
        do { _ = try SiteMesh(block: block, shape: shape); Issue.record("expected an error") } catch {
            #expect(error.message.contains("= 350 is even"))
        }
        // negative ALAT and RMTNEW (consistent with each other): no radius, an error and no trap
        var negative = cuFile.blocks[0]
        negative.latticeConstantBohr = -4.829539315504120
        negative.adaptedMuffinTinRadiusBohr = -2.390621961174539
        #expect(throws: PotentialFileError.self) { try SiteMesh(block: negative, shape: shape) }
        // RMTNEW ≠ ALAT·xrn(1): the potential of another lattice constant
        var other = cuFile.blocks[0]
        other.latticeConstantBohr = 4.9
        do { _ = try SiteMesh(block: other, shape: shape); Issue.record("expected an error") } catch {
            #expect(error.message.contains("differs from SCALE·ALAT·xrn(1) = 2.4255"))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
