import Testing
@testable import PotentialIO

@Suite struct ShapeAndClusterFileTests {
    @Test func copperShapefun() throws {
        let s = try ShapeFunctionFile.read(path: Fixture.path(Fixture.shapefun))
        #expect(s.cells.count == 1)                                   // line 1
        let c = s.cells[0]
        #expect(c.scale == 1)                                         // line 2
        #expect(c.panelCount == 4 && c.meshPointCount == 135)         // line 3
        #expect(c.panelPointCounts == [10, 47, 24, 54])               // line 4
        #expect(c.comment.hasPrefix("NPAN,MESHN;  Shape number     1;"))
        #expect(c.radiiAlat.first == 0.495 && c.drdiAlat.first == 0.555555555556e-3)   // line 5
        #expect(c.radiiAlat[9] == 0.5 && c.radiiAlat[10] == 0.5)      // line 9-10: panel boundary repeated
        #expect(c.radiiAlat.last == 0.707106781187)                   // line 72
        #expect(c.components.map(\.lm.jukkrIndex) == [1, 21, 25, 43, 47, 73, 77, 81])
        #expect(c.components[0].thetas.first == 3.54490770181)        // line 75: Θ_00 = √4π inside the sphere
        #expect(c.components.last?.thetas.last == -0.256054734277e-13) // last line
    }

    /// The full-potential mesh of the Cu site (FORMATS.md §1a "Radial mesh"): IMT = 349
    /// exponential points ending at RMTNEW, then the 135 panel points at ALAT·xrn.
    @Test func copperSiteMesh() throws {
        let b = try PotentialFile.read(path: Fixture.path(Fixture.cu)).blocks[0]
        let shape = try ShapeFunctionFile.read(path: Fixture.path(Fixture.shapefun)).cells[0]
        let m = try SiteMesh(block: b, shape: shape)
        #expect(m.count == 484)
        #expect(m.exponentialPointCount == 349)
        #expect(SiteMesh.estimatedMuffinTinIndex(of: b) == 349)
        #expect(m.r[0] == 0)
        #expect(abs(m.r[348] - 2.390621961174539) < 1e-12)
        #expect(m.r[349] == 4.829539315504120 * 0.495)
        #expect(m.r[483] == 4.829539315504120 * 0.707106781187)
        #expect(abs(m.b - 3.9831005e-4) < 1e-11)                      // B printed with 8 digits
        #expect(m.segments == [0..<349, 349..<359, 359..<406, 406..<430, 430..<484])
        #expect(abs(m.drdi[10] - 0.025 * (m.r[10] + m.b)) < 1e-15)    // dr/di = A(r + B)
    }

    @Test func scoefReadsAndWritesBackByteForByte() throws {
        let bytes = try Fixture.bytes(Fixture.scoef)
        let c = try ImpurityCluster(bytes: bytes)
        #expect(c.sites.count == 13)
        #expect(c.sites[0].positionAlat == [0, 0, 0] && c.sites[0].distanceAlat == 0)
        // line 3
        #expect(c.sites[1].positionAlat == [-0.70710678118654757274, -0.70710678118654757274, 0])
        #expect(c.sites[1].hostSiteNumber == 1)
        #expect(c.sites[1].hostNuclearCharge == 29)
        #expect(c.sites[1].distanceAlat == 1)
        #expect(c.serialized() == bytes)
    }

    @Test func scoefErrors() throws {
        func err(_ s: String) -> PotentialFileError? {
            do { _ = try ImpurityCluster(bytes: Array(s.utf8), path: "scoef"); return nil } catch { return error }
        }
        let row = " 0.0 0.0 0.0    1 29.0  0.0\n"
        #expect(err("   2\n" + row)?.description == "scoef scoef line 3: unexpected end of file: expected cluster site 2 of 2 ('x y z hostSite Z distance') (file truncated?)")
        #expect(err("   1\n 0.0 0.0 0.0    0 29.0  0.0\n")?.message == "the host site index (column 4) must be ≥ 1")
        #expect(err("   1\n 1.0 0.0 0.0    1 29.0  2.0\n")?.message.contains("differs from |(x, y, z)|") == true)
        #expect(err("   1\n" + row + row)?.line == 3)
        #expect(err("   1\n 0.0 0.0    1 29.0  0.0\n")?.line == 2)
    }

    @Test func shapefunErrors() throws {
        var lines = try Fixture.lines(Fixture.shapefun)
        lines[3] = "   10   47   24   53"
        do { _ = try ShapeFunctionFile(bytes: Array(lines.joined(separator: "\n").utf8), path: "sf"); Issue.record("expected an error") } catch {
            #expect(error.description == "shapefun sf line 4: the panel point counts NM sum to 134, MESHN = 135")
        }
        let truncated = try Fixture.lines(Fixture.shapefun).prefix(80).joined(separator: "\n") + "\n"
        do { _ = try ShapeFunctionFile(bytes: Array(truncated.utf8), path: "sf"); Issue.record("expected an error") } catch {
            #expect(error.line == 81 && error.message.contains("THETAS of LM = 1"))
        }
    }
}

@Suite struct KKRimpCheckTests {
    @Test func atomInfoAndCompatibility() throws {
        let info = try KKRimpAtomInfo.read(path: Fixture.path("AgCu_kkrimp/kkrflex_atominfo"))
        #expect(info.atoms.count == 13)
        #expect(info.atoms[0].nuclearCharge == 47 && info.atoms[1].nuclearCharge == 29)   // rows 1-2 after the header
        #expect(info.atoms.allSatisfy { $0.lmax == 2 && !$0.isVirtual && !$0.isRemoved })
        let start = try PotentialFile.read(path: Fixture.path(Fixture.agcu))
        #expect(start.kkrimpCompatibilityProblems(atomInfo: info).isEmpty)
        // the host-in-host potential (Cu on the impurity site) does not match Zimp = 47
        let hostInHost = try start.replacingBlocks(site: 0, with: [start.blocks[1]])
        #expect(hostInHost.kkrimpCompatibilityProblems(atomInfo: info) == ["site 1: Z = 29.0 in the potential, 47.0 in kkrflex_atominfo"])
        var untitled = start
        untitled.blocks[3].title = "Cu29POTENTIAL"
        #expect(untitled.kkrimpCompatibilityProblems().count == 1)
        let cu = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        #expect(cu.kkrimpCompatibilityProblems(atomInfo: info) == ["1 blocks, but kkrflex_atominfo lists 13 atoms × NSPIN 1"])
    }
}
