import Testing
@testable import PotentialIO

/// The readers against numbers read off the fixtures by hand (line numbers of the fixture files).
@Suite struct PotentialReadTests {
    @Test func copperFullPotential() throws {
        let file = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        #expect(file.spinCount == 1)
        #expect(file.blocks.count == 1)
        let b = file.blocks[0]
        #expect(b.label == "Cu29")
        #expect(b.exchangeCorrelationName == "Vosko,Wilk,Nusair")
        // line 2
        #expect(b.muffinTinRadiusBohr == 2.390621961174540)
        #expect(b.latticeConstantBohr == 4.829539315504120)
        #expect(b.adaptedMuffinTinRadiusBohr == 2.390621961174539)
        // lines 3-7
        #expect(b.nuclearCharge == 29)
        #expect(b.wignerSeitzRadiusBohr == 3.415)
        #expect(b.fermiEnergyRy == 0.639303926975325)
        #expect(b.vbcRy == 0.717130568775404)
        #expect(b.radialPointCount == 484)
        #expect(b.meshA == 0.025)
        #expect(b.meshBBohr == 3.9831005e-4)
        // lines 8-12
        #expect(b.coreLevels.map(\.l) == [0, 0, 0, 1, 1])
        #expect(b.coreLevels.first?.energyRy == -648.348121093)
        #expect(b.coreLevels.last?.energyRy == -4.48191435504)
        #expect(CoreState.states(from: b.coreLevels).map(\.label) == ["1s", "2s", "3s", "2p", "3p"])
        // line 13
        #expect(b.fullPotential?.irns == 199)
        #expect(b.fullPotential?.lmpot == 25)
        #expect(b.fullPotential?.isave == 1)
        // lines 14-134: vm2z
        #expect(b.vm2zRy.count == 484)
        #expect(b.vm2zRy.first == 217.58650615899)
        #expect(b.vm2zRy.last == 16.983894582712)
        // lines 135-236: lm 21 and 25 on IRNS+1 = 200 points, line 237 end marker
        #expect(b.nonSpherical.map(\.lm.jukkrIndex) == [21, 25])
        #expect(b.nonSpherical.map(\.lm) == [LMIndex(l: 4, m: 0), LMIndex(l: 4, m: 4)])
        #expect(b.component(LMIndex(l: 4, m: 0))?.count == 200)
        #expect(b.component(LMIndex(l: 4, m: 0))?.first == 4.5197353709348e-3)
        #expect(b.component(LMIndex(l: 4, m: 0))?.last == 3.3391243851402e-15)
        #expect(b.component(LMIndex(l: 4, m: 4))?.last == 2.6131102100150e-15)
    }

    /// A file written by KKRhost is reproduced by the format detection, not by keeping text:
    /// no line of the Cu block is stored verbatim.
    @Test func kkrhostFileIsDescribedByFortranFormats() throws {
        let b = try PotentialFile.read(path: Fixture.path(Fixture.cu)).blocks[0]
        #expect(b.styles == .kkrhost)
        #expect(b.sphericalStyle == .kkrhostFullPotential)
        #expect(b.coreLevels.allSatisfy { $0.style == .fortran(BlockLineStyles.coreFormat) })
        #expect(b.fullPotential?.style == .fortran(BlockLineStyles.fullPotentialFormat))
        #expect(b.nonSpherical.allSatisfy { $0.valueStyle == .kkrhostFullPotential && $0.indexLineStyle == .fortran(BlockLineStyles.lmFormat) })
    }

    @Test func goldSphericalASA() throws {
        let file = try PotentialFile.read(path: Fixture.path(Fixture.au))
        let b = file.blocks[0]
        #expect(!b.isFullPotential)
        #expect(b.nuclearCharge == 79)
        #expect(b.radialPointCount == 349)
        #expect(b.coreLevels.count == 12)
        #expect(CoreState.states(from: b.coreLevels).last?.label == "4f")   // line 19: l = 3
        #expect(b.vm2zRy.count == 349)
        #expect(b.vm2zRy.first == 843.4362489256)      // line 20
        #expect(b.vm2zRy.last == 52.44718749978)       // line 107, the single value of the last line
        #expect(b.latticeConstantBohr == 7.713)        // line 2, old (3f12.8) form
        #expect(b.styles.radii == .fortran(BlockLineStyles.radiiOld))
        #expect(b.sphericalStyle == .kkrhostSpherical)
        // ASA mesh: r(NR) = B(e^{A(NR-1)} - 1) = RWS (FORMATS.md §1a)
        let mesh = try SiteMesh(block: b)
        #expect(abs(mesh.rmax - b.wignerSeitzRadiusBohr) < 1e-4)
    }

    @Test func ironSpinPolarised() throws {
        let file = try PotentialFile.read(path: Fixture.path(Fixture.fe))
        #expect(file.spinCount == 2)            // titles SPIN DOWN / SPIN UP
        #expect(file.siteCount == 1)
        let (down, up) = (file.blocks[0], file.blocks[1])
        #expect(down.fullPotential?.lmpot == 49)
        #expect(down.nonSpherical.map(\.lm.jukkrIndex) == [21, 25, 43, 47])
        #expect(down.component(LMIndex(jukkrIndex: 47)!)?.first == -1.0293944962073e-4)   // line 289
        #expect(down.fermiEnergyRy == 0.709043712591069)
        #expect(up.coreLevels[0].energyRy == -511.936334611)                              // line 346
        #expect(up.vm2zRy.first == 184.61257447337)                                      // line 353
        #expect(try PotentialFile.read(path: Fixture.path(Fixture.fe), spinCount: 1).siteCount == 2)
    }

    @Test func kkrimpStartPotential() throws {
        let file = try PotentialFile.read(path: Fixture.path(Fixture.agcu))
        #expect(file.blocks.count == 13)
        let ag = file.blocks[0]
        #expect(ag.nuclearCharge == 47)
        #expect(ag.coreLevels.count == 8)
        #expect(ag.fermiEnergyRy == 0.409241)
        #expect(ag.vbcRy == 0.5)
        #expect(ag.exchangeCorrelationName == "von Barth,Hedin")
        #expect(ag.styles.energies == .fortran(BlockLineStyles.energiesVoronoi))
        #expect(file.blocks[1].nuclearCharge == 29)
        #expect(file.blocks[1].fermiEnergyRy == 0.640004645627465)      // line 244
        #expect(Set(file.blocks.dropFirst().map(\.vm2zRy)).count == 1)  // 12 identical host copies
        #expect(file.blocks.allSatisfy { PotentialTitle.isKKRimpCompatible($0.title) })
    }

    @Test func lmIndexConventions() {
        #expect(LMIndex(jukkrIndex: 1) == .spherical)
        #expect(LMIndex(jukkrIndex: 21) == LMIndex(l: 4, m: 0))
        #expect(LMIndex(jukkrIndex: 25) == LMIndex(l: 4, m: 4))
        #expect(LMIndex(jukkrIndex: 43) == LMIndex(l: 6, m: 0))
        #expect(LMIndex(jukkrIndex: 47) == LMIndex(l: 6, m: 4))
        #expect(LMIndex(jukkrIndex: 2) == LMIndex(l: 1, m: -1))
        #expect(LMIndex(jukkrIndex: 0) == nil)
        for lm in 1...49 { #expect(LMIndex(jukkrIndex: lm)!.jukkrIndex == lm) }
        #expect(LMIndex(l: 4, m: 4).zeroBasedIndex == 24)
    }
}
