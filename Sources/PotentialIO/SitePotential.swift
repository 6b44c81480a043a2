import Elements

/// The potential of one site (atom), all spin channels, in physical terms (Rydberg atomic
/// units). Built from the NSPIN blocks of a `PotentialFile` and the site's `SiteMesh`;
/// `potentialBlocks()` writes it back in the KKRhost formats.
///
/// The full potential is (`../shared/FORMATS.md` §1a "Physical quantity stored")
///
///     V(r) = vm2z(r) − 2Z/r + Σ_{L ≥ 2} V_L(r) Y_L(r̂)          (Ry)
///
/// where vm2z is the spherical average without the nuclear term (smooth and finite at r = 0),
/// Y_L are JuKKR's real spherical harmonics (`LMIndex`), and V_L is stored only on the outer
/// `nonSphericalPointCount` = IRNS+1 mesh points (zero inside). Energies are measured from the
/// muffin-tin zero of the run that wrote the file (VBC already added, `host/mtzero.f90` 146).
public struct SitePotential: Equatable, Sendable {
    /// Z (a real number in the file; 0 for a vacancy).
    public var nuclearCharge: Double
    /// The element label of the title (columns 1-4, e.g. `Cu29`).
    public var label: String
    /// XC functional name of the title (`Vosko,Wilk,Nusair`), if present.
    public var exchangeCorrelationName: String?
    public var mesh: SiteMesh
    public var latticeConstantBohr: Double
    /// RMT.
    public var muffinTinRadiusBohr: Double
    /// RMTNEW (= r at IMT for full potentials).
    public var adaptedMuffinTinRadiusBohr: Double
    /// RWS.
    public var wignerSeitzRadiusBohr: Double
    public var fermiEnergyRy: Double
    /// IRNS + 1: number of outer points carrying the non-spherical components (0 = spherical).
    public var nonSphericalPointCount: Int
    /// LMPOT = (LPOT+1)² of the file (1 for spherical potentials).
    public var lmpot: Int
    /// One entry per spin, in file order (`SpinChannel`).
    public var spins: [SpinPotential]

    /// The element for integral Z ≥ 1 (nil for vacancies and virtual-crystal charges).
    public var element: Element? {
        guard nuclearCharge >= 1, nuclearCharge == nuclearCharge.rounded() else { return nil }
        return try? PeriodicTable.element(atomicNumber: Int(nuclearCharge))
    }

    /// Whether the site has a full (non-spherical) potential.
    public var isFullPotential: Bool { nonSphericalPointCount > 0 }

    /// Index of the first mesh point with non-spherical components (NR − IRNS − 1, 0-based).
    public var firstNonSphericalIndex: Int { mesh.count - nonSphericalPointCount }

    /// The site from its NSPIN blocks (1 or 2) and its mesh. Throws if the blocks disagree on
    /// the site data or do not fit the mesh.
    public init(blocks: [PotentialBlock], mesh: SiteMesh) throws(PotentialFileError) {
        guard let first = blocks.first, blocks.count <= 2 else {
            throw PotentialFileError(path: "<memory>", line: nil, message: "a site has 1 or 2 blocks (NSPIN), \(blocks.count) given")
        }
        let path = first.source?.path ?? "<memory>"
        for b in blocks.dropFirst() {
            guard b.nuclearCharge == first.nuclearCharge, b.radialPointCount == first.radialPointCount,
                  b.fullPotential?.irns == first.fullPotential?.irns, b.fullPotential?.lmpot == first.fullPotential?.lmpot else {
                throw PotentialFileError(path: path, line: b.source?.line,
                                         message: "the spin blocks of site \(first.label) differ in Z, NR, IRNS or LMPOT")
            }
        }
        guard first.radialPointCount == mesh.count else {
            throw PotentialFileError(path: path, line: first.source?.line,
                                     message: "block \(first.label) has NR = \(first.radialPointCount) points, the mesh \(mesh.count)")
        }
        nuclearCharge = first.nuclearCharge
        label = first.label
        exchangeCorrelationName = first.exchangeCorrelationName
        self.mesh = mesh
        latticeConstantBohr = first.latticeConstantBohr
        muffinTinRadiusBohr = first.muffinTinRadiusBohr
        adaptedMuffinTinRadiusBohr = first.adaptedMuffinTinRadiusBohr
        wignerSeitzRadiusBohr = first.wignerSeitzRadiusBohr
        fermiEnergyRy = first.fermiEnergyRy
        nonSphericalPointCount = first.nonSphericalPointCount
        lmpot = first.fullPotential?.lmpot ?? 1
        spins = blocks.enumerated().map { k, b in
            var comps: [LMIndex: [Double]] = [:]
            for c in b.nonSpherical { comps[c.lm] = c.valuesRy }
            return SpinPotential(channel: .of(ispin: k + 1, spinCount: blocks.count), vm2zRy: b.vm2zRy,
                                 nonSphericalRy: comps, coreStates: CoreState.states(from: b.coreLevels), vbcRy: b.vbcRy)
        }
    }

    /// Memberwise initialiser for new potentials.
    public init(nuclearCharge: Double, label: String, exchangeCorrelationName: String?, mesh: SiteMesh,
                latticeConstantBohr: Double, muffinTinRadiusBohr: Double, adaptedMuffinTinRadiusBohr: Double,
                wignerSeitzRadiusBohr: Double, fermiEnergyRy: Double, nonSphericalPointCount: Int, lmpot: Int,
                spins: [SpinPotential]) {
        self.nuclearCharge = nuclearCharge
        self.label = label
        self.exchangeCorrelationName = exchangeCorrelationName
        self.mesh = mesh
        self.latticeConstantBohr = latticeConstantBohr
        self.muffinTinRadiusBohr = muffinTinRadiusBohr
        self.adaptedMuffinTinRadiusBohr = adaptedMuffinTinRadiusBohr
        self.wignerSeitzRadiusBohr = wignerSeitzRadiusBohr
        self.fermiEnergyRy = fermiEnergyRy
        self.nonSphericalPointCount = nonSphericalPointCount
        self.lmpot = lmpot
        self.spins = spins
    }

    /// The total spherical potential V_sph(r) = vm2z(r) − 2Z/r of spin `k` (Ry); −∞ at r = 0.
    public func sphericalPotentialRy(spin k: Int = 0) -> [Double] {
        zip(spins[k].vm2zRy, mesh.r).map { v, r in r > 0 ? v - 2 * nuclearCharge / r : -.infinity }
    }

    /// r·V_sph(r) = r·vm2z(r) − 2Z (Ry·bohr), finite everywhere.
    public func rTimesSphericalPotential(spin k: Int = 0) -> [Double] {
        zip(spins[k].vm2zRy, mesh.r).map { v, r in r * v - 2 * nuclearCharge }
    }

    /// The first inconsistency, if any.
    public func validationProblem() -> String? {
        if spins.isEmpty || spins.count > 2 { return "\(spins.count) spin channels; 1 or 2 expected" }
        if nonSphericalPointCount < 0 || nonSphericalPointCount > mesh.count { return "IRNS+1 = \(nonSphericalPointCount) outside 0…NR" }
        for s in spins {
            if s.vm2zRy.count != mesh.count { return "vm2z has \(s.vm2zRy.count) values, the mesh \(mesh.count) points" }
            for l in Set(s.coreStates.map(\.l)) {
                let ns = s.coreStates.filter { $0.l == l }.map(\.n).sorted()
                if ns != Array((l + 1)..<(l + 1 + ns.count)) {
                    return "core states with l = \(l) have n = \(ns); the file stores no n, so they must be n = l+1, l+2, … (FORMATS.md §1a)"
                }
            }
            for (lm, v) in s.nonSphericalRy {
                if lm.jukkrIndex < 2 || lm.jukkrIndex > lmpot { return "component \(lm) outside lm = 2…LMPOT = \(lmpot)" }
                if v.count != nonSphericalPointCount { return "component \(lm) has \(v.count) values, IRNS+1 = \(nonSphericalPointCount)" }
            }
        }
        return nil
    }

    /// The NSPIN blocks in the KKRhost writer formats (`host/rites.f90`): title in the
    /// voronoi/KKRhost column layout (`PotentialTitle.make`), ISAVE = 1, components in
    /// ascending lm, end marker when fewer than LMPOT−1 components are written. For full
    /// potentials B is written as the mesh's B (the readers recompute it from RMTNEW anyway).
    public func potentialBlocks(serial: String = "kkr-emulator") throws(PotentialFileError) -> [PotentialBlock] {
        if let problem = validationProblem() {
            throw PotentialFileError(path: "<memory>", line: nil, message: "site \(label): \(problem)")
        }
        return spins.map { s in
            let comps = s.nonSphericalRy.keys.sorted().map { NonSphericalComponent(lm: $0, valuesRy: s.nonSphericalRy[$0]!) }
            return PotentialBlock(
                title: PotentialTitle.make(label: label, spin: s.channel, exchangeCorrelation: exchangeCorrelationName ?? "",
                                           serial: serial),
                muffinTinRadiusBohr: muffinTinRadiusBohr, latticeConstantBohr: latticeConstantBohr,
                adaptedMuffinTinRadiusBohr: adaptedMuffinTinRadiusBohr, nuclearCharge: nuclearCharge,
                wignerSeitzRadiusBohr: wignerSeitzRadiusBohr, fermiEnergyRy: fermiEnergyRy, vbcRy: s.vbcRy,
                radialPointCount: mesh.count, meshA: mesh.a, meshBBohr: mesh.b,
                coreLevels: s.coreStates.sorted { ($0.l, $0.n) < ($1.l, $1.n) }
                    .map { CoreLevelLine(l: $0.l, energyRy: $0.energyRy) },
                fullPotential: isFullPotential ? FullPotentialHeader(irns: nonSphericalPointCount - 1, lmpot: lmpot) : nil,
                vm2zRy: s.vm2zRy, nonSpherical: comps)
        }
    }
}

/// The potential of one spin channel of a site.
public struct SpinPotential: Equatable, Sendable {
    public var channel: SpinChannel
    /// vm2z(r) on all mesh points (spherical average without −2Z/r), Ry.
    public var vm2zRy: [Double]
    /// V_L(r), L ≥ 2, on the outer IRNS+1 points, Ry.
    public var nonSphericalRy: [LMIndex: [Double]]
    public var coreStates: [CoreState]
    /// VBC of this spin, Ry.
    public var vbcRy: Double

    public init(channel: SpinChannel, vm2zRy: [Double], nonSphericalRy: [LMIndex: [Double]], coreStates: [CoreState], vbcRy: Double) {
        self.channel = channel
        self.vm2zRy = vm2zRy
        self.nonSphericalRy = nonSphericalRy
        self.coreStates = coreStates
        self.vbcRy = vbcRy
    }
}

/// A core state: quantum numbers and the starting energy written in the file.
public struct CoreState: Equatable, Sendable, Codable {
    /// Principal quantum number, derived from the order of the core lines: within each l the
    /// states come with increasing n starting at l+1 (masci-tools `common_functions.py` 266-273).
    public var n: Int
    public var l: Int
    public var energyRy: Double

    public init(n: Int, l: Int, energyRy: Double) {
        self.n = n
        self.l = l
        self.energyRy = energyRy
    }

    /// "3p", "4f", …
    public var label: String { "\(n)\(Orbital.letter(l))" }

    /// Core states from the raw core lines, n assigned by order within each l.
    public static func states(from lines: [CoreLevelLine]) -> [CoreState] {
        var seen: [Int: Int] = [:]
        return lines.map { c in
            let k = seen[c.l, default: 0]
            seen[c.l] = k + 1
            return CoreState(n: c.l + 1 + k, l: c.l, energyRy: c.energyRy)
        }
    }
}
