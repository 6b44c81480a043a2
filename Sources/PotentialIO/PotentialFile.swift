/// A JuKKR potential file (`potential`, `out_potential`, voronoi `output.pot`, KKRimp
/// `potential`): the blocks of all atoms and spins one after another, no file header
/// (`../shared/FORMATS.md` §1a "Overall layout"). Block `ip = nspin·(iatom−1) + ispin`
/// (`host/rites.f90` 102-104): atom loop outside, spin loop inside.
///
/// This is the file-faithful layer: `PotentialFile(bytes:)` followed by `serialized()`
/// reproduces files written by the JuKKR codes byte for byte (`docs/formats.md` §2).
/// Sites are 0-based in this API (`site` 0 is the first atom of the file).
public struct PotentialFile: Equatable, Sendable {
    public var blocks: [PotentialBlock]
    /// NSPIN (1 or 2). The file does not store it; see `init(bytes:path:spinCount:)`.
    public var spinCount: Int

    public init(blocks: [PotentialBlock], spinCount: Int) throws(PotentialFileError) {
        guard spinCount == 1 || spinCount == 2 else {
            throw PotentialFileError(path: "<memory>", line: nil, message: "NSPIN = \(spinCount) must be 1 or 2")
        }
        guard !blocks.isEmpty, blocks.count % spinCount == 0 else {
            throw PotentialFileError(path: "<memory>", line: nil,
                                     message: "\(blocks.count) blocks cannot be split into sites of NSPIN = \(spinCount) blocks")
        }
        self.blocks = blocks
        self.spinCount = spinCount
    }

    /// Number of atoms (sites): blocks / NSPIN.
    public var siteCount: Int { blocks.count / spinCount }

    /// Index into `blocks` of (site, ispin), site 0-based, ispin 1-based as in JuKKR.
    public func blockIndex(site: Int, ispin: Int = 1) -> Int { spinCount * site + (ispin - 1) }

    /// The NSPIN blocks of a site (0-based).
    public func blocks(ofSite site: Int) -> [PotentialBlock] {
        Array(blocks[blockIndex(site: site)..<blockIndex(site: site) + spinCount])
    }

    /// Reads a potential file. `spinCount` is NSPIN; when nil it is inferred (see
    /// `inferSpinCount`). Errors name the file, the line and what was expected.
    public static func read(path: String, spinCount: Int? = nil) throws(PotentialFileError) -> PotentialFile {
        try PotentialFile(bytes: readFileBytes(path, kind: "potential file"), path: path, spinCount: spinCount)
    }

    /// Parses the bytes of a potential file; `path` is used in error messages.
    public init(bytes: [UInt8], path: String = "<memory>", spinCount: Int? = nil) throws(PotentialFileError) {
        var c = LineCursor(bytes: bytes, path: path, kind: "potential file")
        var blocks: [PotentialBlock] = []
        while !c.isAtEnd && !c.onlyBlankLinesRemain {
            let first = c.nextLineNumber
            let b = try PotentialBlock.parse(&c)
            if let f = blocks.first, f.isFullPotential != b.isFullPotential {
                throw c.error("block \(blocks.count + 1) is \(b.isFullPotential ? "full-potential" : "spherical (INS = 0)") but block 1 is \(f.isFullPotential ? "full-potential" : "spherical"); mixed files are rejected by KKRimp (read_potential.f90 594-671)",
                              line: first)
            }
            blocks.append(b)
        }
        guard !blocks.isEmpty else { throw c.error("no potential block found (empty file)", line: nil) }
        let nspin = spinCount ?? PotentialFile.inferSpinCount(blocks)
        guard nspin == 1 || nspin == 2 else { throw c.error("NSPIN = \(nspin) must be 1 or 2", line: nil) }
        guard blocks.count % nspin == 0 else {
            throw c.error("\(blocks.count) blocks cannot be split into sites of NSPIN = \(nspin) blocks (file truncated?)", line: nil)
        }
        self.blocks = blocks
        self.spinCount = nspin
    }

    /// NSPIN from the titles: 2 when the blocks alternate `SPIN DOWN` / `SPIN UP` (the voronoi
    /// labels, `voro/ritesone.f` 163-165, carried over by KKRhost and KKRimp), else 1. Pass
    /// NSPIN explicitly when it is known from the inputcard or config.cfg.
    public static func inferSpinCount(_ blocks: [PotentialBlock]) -> Int {
        guard blocks.count % 2 == 0 else { return 1 }
        for (i, b) in blocks.enumerated() {
            let want = i % 2 == 0 ? "SPIN DOWN" : "SPIN UP"
            if !b.title.prefix(28).contains(want) { return 1 }
        }
        return 2
    }

    /// The file text. Throws if a block is inconsistent (`validationProblem`) or a value does
    /// not fit its Fortran field.
    public func serialized(path: String = "<memory>") throws(PotentialFileError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(blocks.reduce(0) { $0 + 21 * ($1.vm2zRy.count + $1.nonSpherical.count * $1.nonSphericalPointCount) + 600 })
        for (i, b) in blocks.enumerated() {
            if let problem = b.validationProblem() {
                throw PotentialFileError(path: path, line: nil, message: "cannot write block \(i + 1) (\(b.label)): \(problem)")
            }
            do {
                try b.append(to: &out)
            } catch {
                throw PotentialFileError(path: path, line: nil, message: "cannot write block \(i + 1) (\(b.label)): \(error)")
            }
        }
        return out
    }

    /// Writes the file atomically (temporary file + rename). An existing file is replaced only
    /// with `overwrite: true`.
    public func write(to path: String, overwrite: Bool = false) throws {
        try AtomicFileWriter.write(serialized(path: path), to: path, overwrite: overwrite)
    }

    /// A copy with the NSPIN blocks of `site` (0-based) replaced by `newBlocks` (e.g. the
    /// impurity site of a host-in-host potential). The new blocks must be on the same mesh
    /// (NR, IRNS) as the ones they replace.
    public func replacingBlocks(site: Int, with newBlocks: [PotentialBlock]) throws(PotentialFileError) -> PotentialFile {
        guard site >= 0 && site < siteCount else {
            throw PotentialFileError(path: "<memory>", line: nil, message: "site \(site) does not exist (0..<\(siteCount))")
        }
        guard newBlocks.count == spinCount else {
            throw PotentialFileError(path: "<memory>", line: nil,
                                     message: "site \(site) needs \(spinCount) block(s) (NSPIN), \(newBlocks.count) given")
        }
        var copy = self
        for (k, nb) in newBlocks.enumerated() {
            let i = blockIndex(site: site, ispin: k + 1)
            try PotentialFile.checkSameMesh(nb, as: blocks[i], what: "replacement block for site \(site)")
            copy.blocks[i] = nb
        }
        return copy
    }

    /// KKRimp requires the same radial mesh for a site's blocks as the host block it replaces
    /// (FORMATS.md §1c and §1a "KKRimp-specific acceptance checks" 2-3).
    static func checkSameMesh(_ a: PotentialBlock, as b: PotentialBlock, what: String) throws(PotentialFileError) {
        var problems: [String] = []
        if a.radialPointCount != b.radialPointCount { problems.append("NR \(a.radialPointCount) ≠ \(b.radialPointCount)") }
        if a.isFullPotential != b.isFullPotential { problems.append("full-potential/spherical differ") }
        if a.fullPotential?.irns != b.fullPotential?.irns { problems.append("IRNS differ") }
        if abs(a.adaptedMuffinTinRadiusBohr - b.adaptedMuffinTinRadiusBohr) > 1e-7 {
            problems.append("RMTNEW \(a.adaptedMuffinTinRadiusBohr) ≠ \(b.adaptedMuffinTinRadiusBohr) (KKRimp tolerance 1e-7)")
        }
        if abs(a.latticeConstantBohr - b.latticeConstantBohr) > 1e-8 {
            problems.append("ALAT \(a.latticeConstantBohr) ≠ \(b.latticeConstantBohr) (TOL_ALAT_CHECK 1e-8)")
        }
        if abs(a.meshA - b.meshA) > 1e-12 { problems.append("mesh A differ") }
        guard problems.isEmpty else {
            throw PotentialFileError(path: a.source?.path ?? "<memory>", line: a.source?.line,
                                     message: "\(what) is not on the host mesh: " + problems.joined(separator: "; ") + " (remesh it first)")
        }
    }
}
