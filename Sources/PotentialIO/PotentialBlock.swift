import Foundation

/// One block of a JuKKR potential file (one atom, one spin), file-faithful: the numbers as
/// stored plus what is needed to write the block back byte for byte (`docs/formats.md` §1-2;
/// layout `../shared/FORMATS.md` §1a; writer `JuKKR:source/KKRhost/rites.f90` 131-220).
///
/// Stored quantities (FORMATS.md "Physical quantity stored"): `vm2zRy` is the spherical
/// potential **without** the nuclear term, V_sph(r) = vm2z(r) − 2Z/r, measured from the muffin-tin
/// zero; the non-spherical components are the real-harmonic coefficients V_L(r), L ≥ 2, on the
/// outer IRNS+1 mesh points. Use `SitePotential` for the physics-facing view.
public struct PotentialBlock: Equatable, Sendable {
    /// Line 1 verbatim (title 28 characters, blanks, `  exc:`, XC name, serial; 164 characters
    /// from KKRhost). KKRimp counts blocks by `POTENTIAL` in columns 6-14
    /// (`imp/read_potential.f90` 625); see `PotentialTitle`.
    public var title: String
    /// RMT (line 2, first value), bohr.
    public var muffinTinRadiusBohr: Double
    /// ALAT (line 2, second value), bohr.
    public var latticeConstantBohr: Double
    /// RMTNEW (line 2, third value): muffin-tin radius adapted to the mesh, bohr. For full
    /// potentials KKRhost recomputes it as ALAT·xrn(1) of the shapefun (`startb1.f90` 375).
    public var adaptedMuffinTinRadiusBohr: Double
    /// Z (line 3). A real number in the file; KKRimp compares it exactly with kkrflex_atominfo.
    public var nuclearCharge: Double
    /// RWS (line 4, first value), bohr.
    public var wignerSeitzRadiusBohr: Double
    /// EFERMI (line 4, second value), Ry.
    public var fermiEnergyRy: Double
    /// VBC of this spin (line 4, third value), Ry: the shift between the electrostatic and the
    /// muffin-tin zero already added to the potential (`host/mtzero.f90` 146, 158).
    public var vbcRy: Double
    /// NR (line 5): number of radial points (for full potentials IMT + MESHN).
    public var radialPointCount: Int
    /// A of r_i = B(e^{A(i−1)} − 1) (line 6).
    public var meshA: Double
    /// B of the mesh (line 6), bohr. Printed with 8 digits (`2d15.8`); for full potentials the
    /// readers recompute it from RMTNEW (`startb1.f90` 389).
    public var meshBBohr: Double
    /// Core states, in file order (grouped by l, increasing n within each l).
    public var coreLevels: [CoreLevelLine]
    /// The `NR IRNS LMPOT ISAVE` line of a full-potential block (INS ≥ 1); nil for a spherical
    /// (INS = 0) block.
    public var fullPotential: FullPotentialHeader?
    /// vm2z(r) on all NR points, Ry (lm = 1 component divided by √4π, i.e. the spherical average).
    public var vm2zRy: [Double]
    /// How `vm2zRy` is written.
    public var sphericalStyle: ValueColumnStyle
    /// Non-spherical components in file order (lm ≥ 2), each on the IRNS+1 outer points.
    public var nonSpherical: [NonSphericalComponent]
    /// Text details of the header lines.
    public var styles: BlockLineStyles
    /// Where the block was read from (for error messages); ignored by `==`.
    public var source: SourceLocation?

    public init(title: String, muffinTinRadiusBohr: Double, latticeConstantBohr: Double,
                adaptedMuffinTinRadiusBohr: Double, nuclearCharge: Double, wignerSeitzRadiusBohr: Double,
                fermiEnergyRy: Double, vbcRy: Double, radialPointCount: Int, meshA: Double, meshBBohr: Double,
                coreLevels: [CoreLevelLine], fullPotential: FullPotentialHeader?, vm2zRy: [Double],
                sphericalStyle: ValueColumnStyle? = nil, nonSpherical: [NonSphericalComponent],
                styles: BlockLineStyles = .kkrhost, source: SourceLocation? = nil) {
        self.title = title
        self.muffinTinRadiusBohr = muffinTinRadiusBohr
        self.latticeConstantBohr = latticeConstantBohr
        self.adaptedMuffinTinRadiusBohr = adaptedMuffinTinRadiusBohr
        self.nuclearCharge = nuclearCharge
        self.wignerSeitzRadiusBohr = wignerSeitzRadiusBohr
        self.fermiEnergyRy = fermiEnergyRy
        self.vbcRy = vbcRy
        self.radialPointCount = radialPointCount
        self.meshA = meshA
        self.meshBBohr = meshBBohr
        self.coreLevels = coreLevels
        self.fullPotential = fullPotential
        self.vm2zRy = vm2zRy
        self.sphericalStyle = sphericalStyle ?? (fullPotential == nil ? .kkrhostSpherical : .kkrhostFullPotential)
        self.nonSpherical = nonSpherical
        self.styles = styles
        self.source = source
    }

    /// True for a full-potential (INS ≥ 1) block.
    public var isFullPotential: Bool { fullPotential != nil }

    /// Number of points that carry non-spherical components: IRNS + 1 (0 for spherical blocks).
    public var nonSphericalPointCount: Int { fullPotential.map { $0.irns + 1 } ?? 0 }

    /// The non-spherical component `lm`, if stored.
    public func component(_ lm: LMIndex) -> [Double]? {
        nonSpherical.first(where: { $0.lm == lm })?.valuesRy
    }

    /// The 4-character element label of the title (columns 1-4, e.g. `Cu29`).
    public var label: String { String(title.prefix(4)) }

    /// The XC name of the title: the text after `exc:` up to `#serial`, trimmed.
    public var exchangeCorrelationName: String? { PotentialTitle.exchangeCorrelationName(in: title) }

    /// Replaces the header line styles and value styles by the KKRhost writer formats
    /// (`rites.f90` formats 110-190), as used for every newly written block.
    public mutating func useKKRhostFormats() {
        styles = .kkrhost
        sphericalStyle = isFullPotential ? .kkrhostFullPotential : .kkrhostSpherical
        for i in coreLevels.indices { coreLevels[i].style = .fortran(BlockLineStyles.coreFormat) }
        if fullPotential != nil { fullPotential!.style = .fortran(BlockLineStyles.fullPotentialFormat) }
        for i in nonSpherical.indices {
            nonSpherical[i].indexLineStyle = .fortran(BlockLineStyles.lmFormat)
            nonSpherical[i].valueStyle = .kkrhostFullPotential
        }
    }
}

/// Where a block starts in its file (1-based line of the title). Compares equal to every other
/// location so that it does not take part in the equality of blocks.
public struct SourceLocation: Equatable, Sendable {
    public let path: String
    public let line: Int
    public init(path: String, line: Int) {
        self.path = path
        self.line = line
    }
    public static func == (_: SourceLocation, _: SourceLocation) -> Bool { true }
}

/// A core line: l and the starting energy (`(i5,1p,d20.11)`, `rites.f90` format 140). The
/// principal quantum number is not stored; it follows from the order (`SitePotential.CoreState`).
public struct CoreLevelLine: Equatable, Sendable {
    public var l: Int
    public var energyRy: Double
    /// Relativistic lines (`(i5,2(1p,d20.11,2x,a1,a3))`, KREL=1) are kept verbatim; only
    /// their first energy is read, as KKRhost does.
    public var style: LineStyle

    public init(l: Int, energyRy: Double, style: LineStyle = .fortran(BlockLineStyles.coreFormat)) {
        self.l = l
        self.energyRy = energyRy
        self.style = style
    }
}

/// The `NR IRNS LMPOT ISAVE` line of a full-potential block (`(10i5)`, rites format 180).
public struct FullPotentialHeader: Equatable, Sendable {
    /// IRNS: the non-spherical part covers ir = NR−IRNS … NR (IRNS+1 points).
    public var irns: Int
    /// LMPOT = (LPOT+1)², LPOT = 2·LMAX.
    public var lmpot: Int
    /// ISAVE: 1 = only the kept lm are written, each after its index line (the only value the
    /// writers use and the only one KKRimp accepts); 0 = all lm = 2…LMPOT without index lines.
    public var isave: Int
    public var style: LineStyle

    public init(irns: Int, lmpot: Int, isave: Int = 1, style: LineStyle = .fortran(BlockLineStyles.fullPotentialFormat)) {
        self.irns = irns
        self.lmpot = lmpot
        self.isave = isave
        self.style = style
    }

    /// LPOT = √LMPOT − 1.
    public var lpot: Int { Int(Double(lmpot).squareRoot().rounded()) - 1 }
}

/// One non-spherical component V_L(r) on the IRNS+1 outer points, Ry.
public struct NonSphericalComponent: Equatable, Sendable {
    public var lm: LMIndex
    public var valuesRy: [Double]
    public var indexLineStyle: LineStyle
    public var valueStyle: ValueColumnStyle

    public init(lm: LMIndex, valuesRy: [Double], indexLineStyle: LineStyle = .fortran(BlockLineStyles.lmFormat),
                valueStyle: ValueColumnStyle = .kkrhostFullPotential) {
        self.lm = lm
        self.valuesRy = valuesRy
        self.indexLineStyle = indexLineStyle
        self.valueStyle = valueStyle
    }
}

/// The record formats of the header lines 2-7 and of the end marker.
public struct BlockLineStyles: Equatable, Sendable {
    /// Line 2 RMT ALAT RMTNEW.
    public var radii: LineStyle
    /// Line 3 Z.
    public var nuclearCharge: LineStyle
    /// Line 4 RWS EFERMI VBC.
    public var energies: LineStyle
    /// Line 5 NR.
    public var pointCount: LineStyle
    /// Line 6 A B.
    public var meshParameters: LineStyle
    /// Line 7 NCORE INEW.
    public var coreCount: LineStyle
    /// The `1` that ends the lm list (ISAVE=1, fewer than LMPOT−1 components).
    public var terminator: LineStyle

    // KKRhost `rites.f90` formats (lines 206-219) and the variants of the other writers.
    static let radiiKKRhost = FortranRecordFormat([.fixed(width: 20, decimals: 15), .fixed(width: 20, decimals: 15),
                                                   .fixed(width: 20, decimals: 15)])
    /// Older KKRhost (v2.3 and before) `(3f12.8)`, e.g. the Au fixture.
    static let radiiOld = FortranRecordFormat([.fixed(width: 12, decimals: 8), .fixed(width: 12, decimals: 8),
                                               .fixed(width: 12, decimals: 8)])
    static let chargeFormat = FortranRecordFormat([.fixed(width: 10, decimals: 5)])
    static let energiesKKRhost = FortranRecordFormat([.fixed(width: 10, decimals: 5), .fixed(width: 20, decimals: 15),
                                                      .fixed(width: 20, decimals: 15)])
    /// voronoi `ritesone12` / KKRimp `rites` format `(f10.5,/,f10.5,2f15.10)`.
    static let energiesVoronoi = FortranRecordFormat([.fixed(width: 10, decimals: 5), .fixed(width: 15, decimals: 10),
                                                      .fixed(width: 15, decimals: 10)])
    /// aiida-kkr `_set_ef_value_potential`: `f'{rws:10.5f}{ef:20.14f}{vbc:20.14f}'`.
    static let energiesAiida = FortranRecordFormat([.fixed(width: 10, decimals: 5), .fixed(width: 20, decimals: 14),
                                                    .fixed(width: 20, decimals: 14)])
    static let meshFormat = FortranRecordFormat([.d(15, 8, scale: 0), .d(15, 8, scale: 0)])
    static let coreCountFormat = FortranRecordFormat([.integer(width: 2), .integer(width: 2)])
    public static let coreFormat = FortranRecordFormat([.integer(width: 5), .d(20, 11)])
    public static let fullPotentialFormat = FortranRecordFormat(Array(repeating: .integer(width: 5), count: 4))
    public static let lmFormat = FortranRecordFormat([.integer(width: 5)])

    static func pointCountFormat(_ nr: Int) -> FortranRecordFormat {
        // KKRhost writes (i3) (rites format 130), voronoi (i4) when NR > 999.
        FortranRecordFormat([.integer(width: max(3, String(nr).count))])
    }

    /// The KKRhost writer formats.
    public static let kkrhost = BlockLineStyles(
        radii: .fortran(radiiKKRhost), nuclearCharge: .fortran(chargeFormat), energies: .fortran(energiesKKRhost),
        pointCount: .fortran(FortranRecordFormat([.integer(width: 3)])), meshParameters: .fortran(meshFormat),
        coreCount: .fortran(coreCountFormat), terminator: .fortran(lmFormat))
}

/// The title line: composition of new titles and the KKRimp column rules.
public enum PotentialTitle {
    /// A title in the layout of the voronoi/KKRhost writers (`voro/ritesone.f` 163-165,
    /// `host/rites.f90` format 100): the 4-character label (`Cu29`), ` POTENTIAL` in columns
    /// 5-14 (plus ` SPIN DOWN`/` SPIN UP` for spin-polarised files) padded to 28 characters,
    /// 6 blanks, `  exc:`, then the XC text (` <name padded to 24>#serial: <serial>`) padded to
    /// 124 characters: 164 characters in all, like every fixture.
    public static func make(label: String, spin: SpinChannel, exchangeCorrelation: String, serial: String) -> String {
        var head = pad(String(label.prefix(4)), 4) + " POTENTIAL"
        switch spin {
        case .unpolarized: break
        case .down: head += " SPIN DOWN"
        case .up: head += " SPIN UP"
        }
        let txc = " " + pad(exchangeCorrelation, 24) + "#serial: " + serial
        return pad(head, 28) + String(repeating: " ", count: 6) + "  exc:" + pad(String(txc.prefix(124)), 124)
    }

    /// The element label `Cu29` (symbol + Z, 4 characters at most) used in column 1-4.
    public static func label(symbol: String, atomicNumber: Int) -> String {
        String((symbol + String(atomicNumber)).prefix(4))
    }

    /// KKRimp's block test `string1(6:15)=='POTENTIAL'` (`imp/read_potential.f90` 625):
    /// columns 6-14 hold `POTENTIAL` and column 15 is blank or absent.
    public static func isKKRimpCompatible(_ title: String) -> Bool {
        let c = Array(title.utf8)
        guard c.count >= 14, String(decoding: c[5..<14], as: UTF8.self) == "POTENTIAL" else { return false }
        return c.count == 14 || c[14] == 32
    }

    /// Text after `exc:` up to `#serial`, trimmed; nil without `exc:`.
    public static func exchangeCorrelationName(in title: String) -> String? {
        guard let r = title.range(of: "exc:") else { return nil }
        var rest = title[r.upperBound...]
        if let s = rest.range(of: "#serial") { rest = rest[..<s.lowerBound] }
        return String(rest).trimmingSpaces
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
}

/// JuKKR's spin label of a block. The label only gives the index: block 1 of a spin pair is
/// "SPIN DOWN", block 2 "SPIN UP" (`voro/ritesone.f` 94-101); it does not say which spin is the
/// majority (FORMATS.md §1a: in the bcc-Fe fixture "DOWN" is the majority).
public enum SpinChannel: Int, Sendable, Codable, CaseIterable {
    case unpolarized = 0
    case down = 1
    case up = 2

    /// The channel of spin index `ispin` (1-based) in a file with `spinCount` spins.
    public static func of(ispin: Int, spinCount: Int) -> SpinChannel {
        spinCount == 1 ? .unpolarized : (ispin == 1 ? .down : .up)
    }
}
