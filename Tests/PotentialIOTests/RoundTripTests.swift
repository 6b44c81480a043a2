import Foundation
import Testing
@testable import PotentialIO

@Suite struct RoundTripTests {
    /// Every potential fixture reads and writes back byte for byte (they were all written by
    /// JuKKR's own writers or assembled from such blocks by line copies; docs/formats.md §2).
    @Test(arguments: Fixture.potentials)
    func byteIdenticalRoundTrip(_ name: String) throws {
        let original = try Fixture.bytes(name)
        let file = try PotentialFile(bytes: original, path: name)
        let written = try file.serialized()
        if written != original {
            let a = String(decoding: original, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let b = String(decoding: written, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            if let i = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) {
                Issue.record("first difference at line \(i + 1):\n\(a[i])\n\(b[i])")
            }
        }
        #expect(written == original)
    }
}

@Suite struct CanonicalWriterTests {
    /// The KKRhost writer formats alone (no stored text except the title) regenerate the files
    /// KKRhost wrote: Cu (kkrjm v2.4) and Fe (JuKKR v3.1), every line.
    @Test(arguments: [Fixture.cu, Fixture.fe])
    func kkrhostFormatsRegenerateKKRhostFiles(_ name: String) throws {
        let original = try Fixture.bytes(name)
        var file = try PotentialFile(bytes: original)
        for i in file.blocks.indices { file.blocks[i].useKKRhostFormats() }
        #expect(try file.serialized() == original)
    }

    /// Au was written by KKRhost v2.3, whose line 2 was (3f12.8); everything else is the
    /// current KKRhost format.
    @Test func oldGoldFileDiffersOnlyInLineTwo() throws {
        var file = try PotentialFile.read(path: Fixture.path(Fixture.au))
        file.blocks[0].useKKRhostFormats()
        let written = String(decoding: try file.serialized(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let original = try Fixture.lines(Fixture.au)
        #expect(written.count == original.count)
        let differing = (0..<min(written.count, original.count)).filter { written[$0] != original[$0] }
        #expect(differing == [1])
        #expect(written[1] == "   2.726957300000000   7.713000000000000   2.727324060000000")
    }

    /// The voronoi block (Ag, block 1 of the startpot) differs from the KKRhost formats only in
    /// line 4, (f10.5,2f15.10) instead of (f10.5,2f20.15).
    @Test func voronoiBlockDiffersOnlyInLineFour() throws {
        var file = try PotentialFile.read(path: Fixture.path(Fixture.agcu))
        var ag = file.blocks[0]
        ag.useKKRhostFormats()
        file = try PotentialFile(blocks: [ag], spinCount: 1)
        let written = String(decoding: try file.serialized(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let original = Array(try Fixture.lines(Fixture.agcu)[0..<240]) + [""]
        #expect(written.count == original.count)
        #expect((0..<min(written.count, original.count)).filter { written[$0] != original[$0] } == [3])
        #expect(written[3] == "   3.41500   0.409241000000000   0.500000000000000")
    }

    /// Physics model → KKRhost blocks: the Cu site rebuilt from `SitePotential` (mesh from the
    /// shapefun, B recomputed from RMTNEW) writes the fixture again; only the title (serial
    /// text) is taken from the original.
    @Test func sitePotentialWritesTheCopperFile() throws {
        let original = try Fixture.bytes(Fixture.cu)
        let file = try PotentialFile(bytes: original)
        let shape = try ShapeFunctionFile.read(path: Fixture.path(Fixture.shapefun))
        let mesh = try SiteMesh(block: file.blocks[0], shape: shape.cells[0])
        let site = try SitePotential(blocks: file.blocks, mesh: mesh)
        var blocks = try site.potentialBlocks()
        #expect(PotentialTitle.isKKRimpCompatible(blocks[0].title))
        #expect(blocks[0].title.count == 164)
        blocks[0].title = file.blocks[0].title
        #expect(try PotentialFile(blocks: blocks, spinCount: 1).serialized() == original)
    }

    /// New titles follow the voronoi/KKRimp layout of the fixtures' titles.
    @Test func composedTitlesMatchTheFixtures() throws {
        let au = try Fixture.lines(Fixture.au)[0]
        #expect(PotentialTitle.make(label: "Au79", spin: .unpolarized, exchangeCorrelation: "Vosko,Wilk,Nusair",
                                    serial: "kkrjm_v2.3-61-g4b60676_mpi_20180829162330") == au)
        let ag = try Fixture.lines(Fixture.agcu)[0]
        #expect(PotentialTitle.make(label: PotentialTitle.label(symbol: "Ag", atomicNumber: 47), spin: .unpolarized,
                                    exchangeCorrelation: "von Barth,Hedin",
                                    serial: "JuKKR_v3.1-1954-g2a37aa7e_gnu_20241121161830") == ag)
        let fe = try Fixture.lines(Fixture.fe)
        #expect(PotentialTitle.make(label: "Fe26", spin: .down, exchangeCorrelation: "x", serial: "").prefix(40) == fe[0].prefix(40))
        #expect(PotentialTitle.make(label: "Fe26", spin: .up, exchangeCorrelation: "x", serial: "").prefix(40) == fe[339].prefix(40))
        #expect(!PotentialTitle.isKKRimpCompatible("Cu29POTENTIAL"))
        #expect(!PotentialTitle.isKKRimpCompatible("Cu29 POTENTIALS"))
    }

    /// A changed value is written in the KKRhost format of its line, the other lines keep their
    /// original text (aiida-kkr changes only EFERMI on line 4 the same way).
    @Test func changedValuesUseTheWriterFormat() throws {
        var file = try PotentialFile.read(path: Fixture.path(Fixture.agcu))
        file.blocks[0].fermiEnergyRy = 0.640004645627465
        file.blocks[0].vm2zRy[0] = -1.25
        let written = String(decoding: try file.serialized(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let original = try Fixture.lines(Fixture.agcu)
        // the voronoi line-4 layout (2f15.10) is kept for the changed value: it still is the line's format
        #expect(written[3] == "   3.41500   0.6400046456   0.5000000000")
        #expect(written[16] == "-1.2500000000000D+00" + original[16].dropFirst(20))
        let differing = (0..<original.count).filter { written[$0] != original[$0] }
        #expect(differing == [3, 16])
    }

    /// A verbatim (unknown-format) line is kept while it still holds the block's values and is
    /// rewritten in the KKRhost format once a value changes.
    @Test func verbatimLinesFallBackToTheKKRhostFormat() throws {
        var lines = try Fixture.lines(Fixture.cu)
        lines[1] = "   2.3906219611745400        4.8295393155041200        2.3906219611745391     "   // KKRimp list-directed
        let text = Array(lines.joined(separator: "\n").utf8)
        var file = try PotentialFile(bytes: text)
        guard case .verbatim = file.blocks[0].styles.radii else { Issue.record("line 2 should be verbatim"); return }
        #expect(try file.serialized() == text)
        file.blocks[0].latticeConstantBohr = 4.8
        let out = String(decoding: try file.serialized(), as: UTF8.self).split(separator: "\n")
        #expect(out[1] == "   2.390621961174540   4.800000000000000   2.390621961174539")
    }
}
