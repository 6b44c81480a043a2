import Foundation
import Radial
import Testing
@testable import PotentialIO

@Suite struct ClusterPotentialTests {
    /// The aiida-kkr Ag-in-Cu KKRimp start potential (FORMATS.md §1c) rebuilt from its parts:
    /// the converged Cu host block (lines 241-477 of the fixture, a byte copy of the host
    /// out_potential), the voronoi Ag block (lines 1-240) and the scoef. Byte for byte.
    @Test func rebuildsTheAgCuStartPotential() throws {
        let lines = try Fixture.lines(Fixture.agcu)
        let agText = Array((lines[0..<240].joined(separator: "\n") + "\n").utf8)
        let hostText = Array((lines[240..<477].joined(separator: "\n") + "\n").utf8)
        let host = try PotentialFile(bytes: hostText, path: "host out_potential")
        let ag = try PotentialFile(bytes: agText, path: "voronoi output.pot")
        let cluster = try ImpurityCluster.read(path: Fixture.path(Fixture.scoef))
        let pot = try PotentialFile.clusterPotential(host: host, cluster: cluster, impurity: .blocks(ag.blocks),
                                                     perSiteDelta: Array(repeating: nil, count: 13))
        #expect(pot.blocks.count == 13)
        #expect(try pot.serialized() == Fixture.bytes(Fixture.agcu))
    }

    private func copperHost() throws -> PotentialFile { try PotentialFile.read(path: Fixture.path(Fixture.cu)) }

    private func cluster(_ n: Int, hostSite: Int = 1) -> ImpurityCluster {
        ImpurityCluster(sites: (0..<n).map { k in
            ImpurityCluster.Site(positionAlat: [Double(k), 0, 0], hostSiteNumber: hostSite, hostNuclearCharge: 29,
                                 distanceAlat: Double(k))
        })
    }

    @Test func substitutionAndDelta() throws {
        let host = try copperHost()
        let agCores = try PotentialFile.read(path: Fixture.path(Fixture.agcu)).blocks[0].coreLevels
        let nr = host.blocks[0].radialPointCount
        var dv = PotentialDelta(sphericalRy: Array(repeating: 0.01, count: nr))
        dv.nonSphericalRy[LMIndex(l: 2, m: -2)] = Array(repeating: 1e-3, count: 200)   // lm = 5, new
        dv.nonSphericalRy[LMIndex(l: 4, m: 0)] = Array(repeating: -4.5197353709348e-3, count: 200)   // lm = 21
        let pot = try PotentialFile.clusterPotential(
            host: host, cluster: cluster(3), impurity: .substitution(nuclearCharge: 47, label: "Ag47", coreLevels: agCores),
            perSiteDelta: [nil, SiteDelta(dv), nil])
        #expect(pot.blocks.count == 3)
        let imp = pot.blocks[0]
        #expect(imp.nuclearCharge == 47 && imp.coreLevels.count == 8)
        #expect(imp.title.hasPrefix("Ag47 POTENTIAL") && imp.title.count == 164)
        #expect(imp.vm2zRy == host.blocks[0].vm2zRy)
        #expect(pot.blocks[2] == host.blocks[0])
        let b = pot.blocks[1]
        #expect(b.nonSpherical.map(\.lm.jukkrIndex) == [5, 21, 25])
        #expect(b.component(LMIndex(l: 4, m: 0))?.first == 0)                    // 4.5197353709348e-3 − itself
        let text = String(decoding: try pot.serialized(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // block 1 starts at line 238 (block 0 has 8 core lines: 240 lines); its first value line:
        // 2.1758650615899D+02 (Cu fixture line 14) + 0.01
        let first = 240 + 13
        #expect(text[first].hasPrefix(" 2.1759650615899D+02"))
        #expect(text[first + 121] == "    5")                                   // new component before lm 21
        #expect(text[first + 122].hasPrefix(" 1.0000000000000D-03"))
        // the written file reads back to the same model, to the printed 14 digits
        let back = try PotentialFile(bytes: pot.serialized())
        #expect(FuzzTests.sameToPrintedPrecision(back, pot))
        #expect(try back.serialized() == pot.serialized())
    }

    @Test func deltaFromAFunctionOfRadius() throws {
        let host = try copperHost()
        let shape = try ShapeFunctionFile.read(path: Fixture.path(Fixture.shapefun)).cells[0]
        let mesh = try SiteMesh(block: host.blocks[0], shape: shape)
        let pot = try PotentialFile.clusterPotential(host: host, cluster: cluster(2), impurity: .blocks(host.blocks)) { k, site in
            guard k == 1 else { return nil }
            return SiteDelta(PotentialDelta.sampling(mesh: mesh, nonSphericalPointCount: 200, components: [LMIndex(l: 4, m: 4)]) { lm, r in
                lm == .spherical ? 0.1 * r : 0.5
            })
        }
        let b = pot.blocks[1], h = host.blocks[0]
        #expect(b.vm2zRy[0] == h.vm2zRy[0])                                       // r = 0
        #expect(b.vm2zRy[483] == h.vm2zRy[483] + 0.1 * mesh.r[483])
        #expect(b.component(LMIndex(l: 4, m: 4))?.last == h.component(LMIndex(l: 4, m: 4))!.last! + 0.5)
    }

    @Test func spinPolarisedHostGivesSpinPairs() throws {
        let fe = try PotentialFile.read(path: Fixture.path(Fixture.fe))
        let pot = try PotentialFile.clusterPotential(
            host: fe, cluster: cluster(3), impurity: .substitution(nuclearCharge: 27, label: "Co27", coreLevels: fe.blocks[0].coreLevels),
            perSiteDelta: [nil, nil, SiteDelta(spins: [PotentialDelta(sphericalRy: Array(repeating: 1, count: 484)),
                                                        PotentialDelta(sphericalRy: Array(repeating: -1, count: 484))])])
        #expect(pot.spinCount == 2 && pot.blocks.count == 6)
        #expect(pot.blocks[0].title.hasPrefix("Co27 POTENTIAL SPIN DOWN") && pot.blocks[1].title.hasPrefix("Co27 POTENTIAL SPIN UP"))
        #expect(pot.blocks[2] == fe.blocks[0] && pot.blocks[3] == fe.blocks[1])
        #expect(pot.blocks[4].vm2zRy[7] == fe.blocks[0].vm2zRy[7] + 1)
        #expect(pot.blocks[5].vm2zRy[7] == fe.blocks[1].vm2zRy[7] - 1)
        #expect(PotentialFile.inferSpinCount(pot.blocks) == 2)
    }

    @Test func invalidClusterInput() throws {
        let host = try copperHost()
        let au = try PotentialFile.read(path: Fixture.path(Fixture.au))
        // host site 2 does not exist
        #expect(throws: PotentialFileError.self) {
            try PotentialFile.clusterPotential(host: host, cluster: cluster(2, hostSite: 2), impurity: .blocks(host.blocks),
                                               perSiteDelta: [nil, nil])
        }
        // impurity block on another mesh
        do {
            _ = try PotentialFile.clusterPotential(host: host, cluster: cluster(2), impurity: .blocks(au.blocks), perSiteDelta: [nil, nil])
            Issue.record("expected an error")
        } catch let e as PotentialFileError {
            #expect(e.message.contains("is not on the host mesh: NR 349 ≠ 484"))
        }
        // ΔV of the wrong length, lm beyond LMPOT, NaN
        for bad in [PotentialDelta(sphericalRy: [1, 2]),
                    PotentialDelta(nonSphericalRy: [LMIndex(l: 5, m: 0): Array(repeating: 0, count: 200)]),
                    PotentialDelta(sphericalRy: Array(repeating: .nan, count: 484))] {
            #expect(throws: PotentialFileError.self) {
                try PotentialFile.clusterPotential(host: host, cluster: cluster(2), impurity: .blocks(host.blocks),
                                                   perSiteDelta: [nil, SiteDelta(bad)])
            }
        }
        #expect(throws: PotentialFileError.self) {
            try PotentialFile.clusterPotential(host: host, cluster: cluster(2), impurity: .blocks(host.blocks), perSiteDelta: [nil])
        }
    }

    @Test func replacingTheImpuritySite() throws {
        let start = try PotentialFile.read(path: Fixture.path(Fixture.agcu))
        let hostInHost = try start.replacingBlocks(site: 0, with: [start.blocks[5]])
        #expect(Set(hostInHost.blocks.map(\.vm2zRy)).count == 1)
        #expect(hostInHost.blocks[1...] == start.blocks[1...])
        let au = try PotentialFile.read(path: Fixture.path(Fixture.au))
        #expect(throws: PotentialFileError.self) { try start.replacingBlocks(site: 0, with: au.blocks) }
        #expect(throws: PotentialFileError.self) { try start.replacingBlocks(site: 13, with: [start.blocks[5]]) }
        #expect(throws: PotentialFileError.self) { try start.replacingBlocks(site: 0, with: []) }
    }
}

@Suite struct RemeshTests {
    private func copperSite() throws -> SitePotential {
        let file = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        let shape = try ShapeFunctionFile.read(path: Fixture.path(Fixture.shapefun)).cells[0]
        return try SitePotential(blocks: file.blocks, mesh: SiteMesh(block: file.blocks[0], shape: shape))
    }

    @Test func ontoItsOwnMeshIsTheIdentity() throws {
        let cu = try copperSite()
        #expect(try cu.remeshed(ontoMeshOf: cu) == cu)
    }

    /// A smooth analytic vm2z on the Cu full-potential mesh, re-tabulated on the Au ASA mesh:
    /// 4-point Lagrange error ≤ max|f⁗|·h⁴·(9/16)/24 ≈ 7e-6 Ry for f = 200e^{−r} + 5r²
    /// (h ≈ 0.075 bohr at r ≈ 3).
    @Test func analyticFunctionOntoAnotherMesh() throws {
        var cu = try copperSite()
        func f(_ r: Double) -> Double { 200 * exp(-r) + 5 * r * r }
        cu.spins[0].vm2zRy = cu.mesh.r.map(f)
        let au = try SiteMesh(block: PotentialFile.read(path: Fixture.path(Fixture.au)).blocks[0])
        let out = try cu.remeshed(onto: au, nonSphericalPointCount: 0)
        let err = zip(out.spins[0].vm2zRy, au.r).map { abs($0 - f($1)) }.max()!
        #expect(err < 1e-5)
        #expect(out.spins[0].nonSphericalRy.isEmpty && out.nonSphericalPointCount == 0)
        #expect(out.wignerSeitzRadiusBohr == au.rmax)
        #expect(out.validationProblem() == nil)
    }

    /// Non-spherical components: nodes shared with the source keep their values exactly,
    /// target points inside the source's non-spherical region get V_L = 0.
    @Test func nonSphericalRegionGrows() throws {
        let cu = try copperSite()
        let out = try cu.remeshed(onto: cu.mesh, nonSphericalPointCount: 250)
        let lm = LMIndex(l: 4, m: 0)
        let v = try #require(out.spins[0].nonSphericalRy[lm])
        #expect(v.count == 250)
        #expect(v[..<50].allSatisfy { $0 == 0 })
        #expect(Array(v[50...]) == cu.spins[0].nonSphericalRy[lm]!)
        #expect(out.firstNonSphericalIndex == 234)
    }

    @Test func refusesToExtrapolate() throws {
        let auFile = try PotentialFile.read(path: Fixture.path(Fixture.au))
        let au = try SitePotential(blocks: auFile.blocks, mesh: SiteMesh(block: auFile.blocks[0]))
        let cu = try copperSite()
        #expect(throws: RadialMeshError.self) { try au.remeshed(ontoMeshOf: cu) }   // Cu cell reaches 3.415 > RWS(Au) 3.014
    }
}
