/// The atoms of a KKRimp run as listed in `kkrflex_atominfo` (`../shared/FORMATS.md` §1b;
/// writer `host/main0.F90` 1136-1160; aiida-kkr puts Zimp on row 1): comment lines start with
/// `#`, then `NATOM NTOTATOM`, then per atom `(3F25.16,F6.2,3I5)` x y z Z virtual remove LMAX.
public struct KKRimpAtomInfo: Equatable, Sendable {
    public struct Atom: Equatable, Sendable {
        public var positionAlat: [Double]
        public var nuclearCharge: Double
        public var isVirtual: Bool
        public var isRemoved: Bool
        public var lmax: Int
    }

    public var atoms: [Atom]

    public static func read(path: String) throws(PotentialFileError) -> KKRimpAtomInfo {
        try KKRimpAtomInfo(bytes: readFileBytes(path, kind: "kkrflex_atominfo"), path: path)
    }

    public init(bytes: [UInt8], path: String = "<memory>") throws(PotentialFileError) {
        var c = LineCursor(bytes: bytes, path: path, kind: "kkrflex_atominfo")
        func nextData(_ what: String) throws(PotentialFileError) -> Line {
            while true {
                let l = try c.next(what)
                let first = c.bytes[l.range].first(where: { $0 != 32 })
                if first != UInt8(ascii: "#") { return l }
            }
        }
        let head = try nextData("'NATOM NTOTATOM'")
        let counts = try c.values(head, [.int, .int], names: "NATOM NTOTATOM")
        guard case .int(let natom) = counts[0], natom >= 1 else {
            throw c.error("NATOM must be positive", line: head.number)
        }
        var atoms: [Atom] = []
        for k in 0..<natom {
            let l = try nextData("atom \(k + 1) of \(natom) ('x y z Z virtual remove LMAX')")
            let v = try c.values(l, [.real, .real, .real, .real, .int, .int, .int], names: "x y z Z virtual remove LMAX")
            atoms.append(Atom(positionAlat: [v[0].doubleValue, v[1].doubleValue, v[2].doubleValue], nuclearCharge: v[3].doubleValue,
                              isVirtual: v[4] != .int(0), isRemoved: v[5] != .int(0), lmax: Int(v[6].doubleValue)))
        }
        self.atoms = atoms
    }
}

extension PotentialFile {
    /// What KKRimp's `read_potential`/`pre_read_potential` (`imp/read_potential.f90` 232-467,
    /// 594-671) would reject in this file used as the KKRimp `potential`, as readable messages;
    /// empty when none. Checked: block titles (`POTENTIAL` in columns 6-14), ISAVE = 1, one
    /// INS for all blocks, IMT odd (estimated from RMTNEW, A, B), one ALAT within 1e-8
    /// (TOL_ALAT_CHECK), and with `atomInfo`: NATOM·NSPIN blocks and Z equal to the atominfo Z
    /// (compared exactly, read_potential.f90 319-324).
    public func kkrimpCompatibilityProblems(atomInfo: KKRimpAtomInfo? = nil) -> [String] {
        var problems: [String] = []
        let alat = blocks[0].latticeConstantBohr
        for (i, b) in blocks.enumerated() {
            let name = "block \(i + 1) (\(b.label))"
            if !PotentialTitle.isKKRimpCompatible(b.title) {
                problems.append("\(name): the title needs POTENTIAL in columns 6-14 (read_potential.f90 625)")
            }
            if let fp = b.fullPotential {
                if fp.isave != 1 { problems.append("\(name): ISAVE = \(fp.isave); KKRimp reads only ISAVE = 1") }
                if let imt = SiteMesh.estimatedMuffinTinIndex(of: b), imt % 2 == 0 {
                    problems.append("\(name): IMT = \(imt) is even (\"ICORE is not odd\")")
                }
            }
            if abs(b.latticeConstantBohr - alat) > 1e-8 {
                problems.append("\(name): ALAT = \(b.latticeConstantBohr) differs from block 1 (\(alat)) by more than 1e-8")
            }
        }
        if let info = atomInfo {
            if info.atoms.count * spinCount != blocks.count {
                problems.append("\(blocks.count) blocks, but kkrflex_atominfo lists \(info.atoms.count) atoms × NSPIN \(spinCount)")
            } else {
                for (k, atom) in info.atoms.enumerated() {
                    for b in blocks(ofSite: k) where b.nuclearCharge != atom.nuclearCharge {
                        problems.append("site \(k + 1): Z = \(b.nuclearCharge) in the potential, \(atom.nuclearCharge) in kkrflex_atominfo")
                    }
                }
            }
        }
        return problems
    }
}
