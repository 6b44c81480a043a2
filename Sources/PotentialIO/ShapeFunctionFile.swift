/// A JuKKR `shapefun` file (`../shared/FORMATS.md` §1b; reader `host/startb1.f90` 183-242,
/// formats 533-534):
///
///     NCELL                                  (16i5)
///     SCALE(1..NCELL)                        (4d20.12)
///     per cell:  NPAN MESHN [comment]        (16i5)
///                NM(2..NPAN+1)               (16i5)   points per panel, ΣNM = MESHN
///                XRN(i) DRN(i), i=1..MESHN   (4d20.12) units of ALAT (× SCALE)
///                NFU                         (16i5)
///                NFU × { LM (16i5); THETAS(1..MESHN) (4d20.12) }
///
/// The panel mesh gives the radii of the points IMT+1…NR of a full-potential block
/// (`SiteMesh`).
public struct ShapeFunctionFile: Equatable, Sendable {
    public var cells: [ShapeCell]

    public init(cells: [ShapeCell]) { self.cells = cells }

    public static func read(path: String) throws(PotentialFileError) -> ShapeFunctionFile {
        try ShapeFunctionFile(bytes: readFileBytes(path, kind: "shapefun"), path: path)
    }

    public init(bytes: [UInt8], path: String = "<memory>") throws(PotentialFileError) {
        var c = LineCursor(bytes: bytes, path: path, kind: "shapefun")
        let first = try c.next("NCELL")
        let ncellToks = c.tokens(first)
        guard let t = ncellToks.first, let ncell = FortranNumber.parseInt(c.bytes[t]), ncell >= 1 else {
            throw c.error("expected the number of cells NCELL (a positive integer)", line: first.number)
        }
        // SCALE: ceil(NCELL/4) records of (4d20.12); the files carry 4 values on the record.
        var scales: [Double] = []
        while scales.count < ncell {
            let line = try c.next("the SCALE values (\(ncell - scales.count) more)")
            let toks = c.tokens(line)
            guard !toks.isEmpty else { throw c.error("expected SCALE values, found an empty line", line: line.number) }
            for tok in toks.prefix(ncell - scales.count) {
                guard let x = FortranNumber.parseReal(c.bytes[tok]), x > 0 else {
                    throw c.error("expected a positive SCALE value, found '\(c.tokenText(tok))'", line: line.number)
                }
                scales.append(x)
            }
        }
        var cells: [ShapeCell] = []
        for icell in 0..<ncell {
            let h = try c.next("'NPAN MESHN' of shape \(icell + 1)")
            let toks = c.tokens(h)
            guard toks.count >= 2, let npan = FortranNumber.parseInt(c.bytes[toks[0]]),
                  let meshn = FortranNumber.parseInt(c.bytes[toks[1]]), npan >= 1, meshn >= 1 else {
                throw c.error("expected 'NPAN MESHN' (two positive integers) for shape \(icell + 1)", line: h.number)
            }
            let comment = toks.count > 2 ? String(decoding: c.bytes[toks[2].lowerBound..<h.range.upperBound], as: UTF8.self) : ""
            var nm: [Int] = []
            var nmLine = h.number
            while nm.count < npan {
                let line = try c.next("the panel point counts NM (\(npan - nm.count) more)")
                nmLine = line.number
                let ts = c.tokens(line)
                guard !ts.isEmpty, ts.count <= min(16, npan - nm.count) else {
                    throw c.error("expected \(min(16, npan - nm.count)) panel point counts NM, found \(ts.count)", line: line.number)
                }
                for tok in ts {
                    guard let n = FortranNumber.parseInt(c.bytes[tok]), n >= 1 else {
                        throw c.error("expected a positive panel point count, found '\(c.tokenText(tok))'", line: line.number)
                    }
                    nm.append(n)
                }
            }
            guard nm.reduce(0, +) == meshn else {
                throw c.error("the panel point counts NM sum to \(nm.reduce(0, +)), MESHN = \(meshn)", line: nmLine)
            }
            let (pairs, _) = try c.fixedWidthValues(count: 2 * meshn, what: "XRN DRN pairs of shape \(icell + 1) (MESHN = \(meshn))")
            var xrn = [Double](repeating: 0, count: meshn)
            var drn = [Double](repeating: 0, count: meshn)
            for i in 0..<meshn {
                xrn[i] = pairs[2 * i]
                drn[i] = pairs[2 * i + 1]
            }
            guard xrn[0] > 0, zip(xrn, xrn.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw c.error("the radii XRN of shape \(icell + 1) must be positive and non-decreasing", line: h.number)
            }
            let nfuLine = try c.next("NFU (number of shape-function components) of shape \(icell + 1)")
            let nfuVal = try c.values(nfuLine, [.int], names: "NFU")
            guard case .int(let nfu) = nfuVal[0], nfu >= 1 else {
                throw c.error("NFU must be a positive number of components", line: nfuLine.number)
            }
            var comps: [ShapeComponent] = []
            var seen = Set<Int>()
            for _ in 0..<nfu {
                let lmLine = try c.next("an LM index of shape \(icell + 1)")
                let v = try c.values(lmLine, [.int], names: "LM")
                guard case .int(let lm) = v[0], let index = LMIndex(jukkrIndex: lm), seen.insert(lm).inserted else {
                    throw c.error("expected a new LM index ≥ 1", line: lmLine.number)
                }
                let (thetas, _) = try c.fixedWidthValues(count: meshn, what: "THETAS of LM = \(lm) (MESHN = \(meshn))")
                comps.append(ShapeComponent(lm: index, thetas: thetas))
            }
            cells.append(ShapeCell(scale: scales[icell], panelPointCounts: nm, radiiAlat: xrn, drdiAlat: drn,
                                   components: comps, comment: comment))
        }
        guard c.isAtEnd || c.onlyBlankLinesRemain else {
            throw c.error("unexpected text after the last of NCELL = \(ncell) shapes", line: c.nextLineNumber)
        }
        self.cells = cells
    }
}

/// One cell of a shapefun file.
public struct ShapeCell: Equatable, Sendable {
    /// SCALE of the cell (1.0 in every known file).
    public var scale: Double
    /// NM(2…NPAN+1): points per panel.
    public var panelPointCounts: [Int]
    /// XRN: radii of the panel mesh in units of ALAT (before SCALE).
    public var radiiAlat: [Double]
    /// DRN: dr/di of the panel mesh in units of ALAT.
    public var drdiAlat: [Double]
    /// The real-harmonic coefficients Θ_L(r) of the cell step function (Θ_00 = √4π inside).
    public var components: [ShapeComponent]
    /// Text after NPAN MESHN (e.g. `NPAN,MESHN;  Shape number     1; # serial: …`).
    public var comment: String

    /// MESHN.
    public var meshPointCount: Int { radiiAlat.count }
    /// NPAN.
    public var panelCount: Int { panelPointCounts.count }
}

/// Θ_L(r) on the panel mesh.
public struct ShapeComponent: Equatable, Sendable {
    public var lm: LMIndex
    public var thetas: [Double]
}
