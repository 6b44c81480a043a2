import Atom
import Descriptors
import Elements
import Emulator
import Foundation
import KKR
import Radial
import Storage

/// Free-atom data of every element the emulator may meet, computed once with the project's own
/// atom solver in the KKR conventions (`HostCalculation.freeAtom`: JuKKR c, scalar-relativistic,
/// the host settings' functional) and stored in the model file, so that a prediction never runs
/// an atom solver (docs/emulator.md §11).
///
/// Per element Z:
/// - `features` (names in `featureNames`): eigenvalue ε (Ry) and ⟨r⟩ (bohr) of the valence
///   sub-shells ns, np (n = the period) and n_d d (n_d = max(3, period − 1)) of the neutral
///   non-polarised atom — empty sub-shells are added to the configuration with occupation 0,
///   so that, e.g., Pd (4d¹⁰5s⁰) has a 5s level like its neighbours (an "outermost occupied
///   s" would be 4s for Pd, an outlier in feature space); 0 if a sub-shell cannot exist
///   (period ≤ 2 for p/d); the highest occupied eigenvalue; from the LSDA atom with Hund's-rule
///   occupations its spin moment (μ_B) and the exchange splittings ε↓ − ε↑ (Ry) of its outermost
///   occupied d and s sub-shells (0 if none);
/// - the densities the atomic-superposition start is built from: the non-polarised total
///   density (the atom on the neighbour sites) and the LSDA n↑, n↓ (the atom on the centre),
///   bohr⁻³, on `mesh` — the solver's mesh (a = 0.005, 50 bohr) with every 4th point kept
///   (a = 0.02, 623 points; the resulting error of the rebuilt start is measured in
///   docs/results/emulator-validation.md).
public struct EmulatorAtomTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var features: [Double]
        /// Non-polarised total density n(r) (bohr⁻³).
        public var totalDensity: [Double]
        /// LSDA densities n↑, n↓ (bohr⁻³).
        public var upDensity: [Double]
        public var downDensity: [Double]
    }

    public static let featureNames: [String] = ["eps_ns_Ry", "r_ns_bohr", "eps_np_Ry", "r_np_bohr", "eps_d_Ry", "r_d_bohr",
                                                "homo_Ry", "atomMoment_muB", "dExchangeSplitting_Ry", "sExchangeSplitting_Ry"]

    /// What the atoms were computed with (checked against the host settings when a start is built).
    public struct Conventions: Sendable, Equatable {
        public var relativity: Relativity
        public var functional: String
        public var speedOfLight: Double

        public init(relativity: Relativity, functional: String, speedOfLight: Double) {
            self.relativity = relativity; self.functional = functional; self.speedOfLight = speedOfLight
        }

        public init(_ s: HostSettings) {
            self.init(relativity: s.relativity, functional: s.functional, speedOfLight: s.speedOfLight)
        }

        public var description: String {
            "\(relativity.rawValue), \(functional), c = \(speedOfLight) Ry units"
        }
    }

    public let conventions: Conventions
    public let mesh: RadialMesh
    /// Entries by atomic number.
    public let entries: [Int: Entry]

    public init(conventions: Conventions, mesh: RadialMesh, entries: [Int: Entry]) throws {
        for (z, e) in entries {
            guard e.features.count == Self.featureNames.count,
                  e.totalDensity.count == mesh.count, e.upDensity.count == mesh.count, e.downDensity.count == mesh.count else {
                throw EmulatorError.shapeMismatch("free-atom table entry Z = \(z): \(e.features.count) features, densities of "
                    + "\(e.totalDensity.count)/\(e.upDensity.count)/\(e.downDensity.count) points; expected "
                    + "\(Self.featureNames.count) features and \(mesh.count) points")
            }
        }
        self.conventions = conventions
        self.mesh = mesh
        self.entries = entries
    }

    /// Elements Z = 1…86 (H to Rn): every element the default model may see.
    public static let defaultElements: [Element] = (1...86).compactMap { try? PeriodicTable.element(atomicNumber: $0) }

    /// Solves the free atoms (non-polarised and LSDA) of `elements` with the conventions of
    /// `settings` (≈ 0.3 s per atom and spin setting).
    public static func compute(elements: [Element] = defaultElements, settings: HostSettings,
                               progress: (Element) -> Void = { _ in }) throws -> EmulatorAtomTable {
        var entries: [Int: Entry] = [:]
        var storageMesh: RadialMesh?
        for e in elements {
            progress(e)
            let plain = try HostCalculation.freeAtom(e, settings: settings)
            let polarised = try HostCalculation.freeAtom(e, settings: settings, spinPolarized: true)
            guard plain.mesh == polarised.mesh, (plain.mesh.count - 1) % 4 == 0 else {
                throw EmulatorError.invalidInput("free atom \(e.symbol): unexpected atom mesh (\(plain.mesh.count) points)")
            }
            let m = try RadialMesh(rmax: plain.mesh.rmax, a: 4 * plain.mesh.a, count: (plain.mesh.count - 1) / 4 + 1)
            if let s = storageMesh, s != m {
                throw EmulatorError.invalidInput("free atom \(e.symbol): atom meshes differ between elements")
            }
            storageMesh = m
            func keep(_ v: [Double]) -> [Double] { stride(from: 0, to: v.count, by: 4).map { v[$0] } }
            let up = keep(polarised.densities[0])
            let down = keep(polarised.densities.count == 2 ? polarised.densities[1] : polarised.densities[0])
            let valence = try valenceAtom(e, settings: settings)
            entries[e.atomicNumber] = Entry(features: features(valence: valence, plain: plain, polarised: polarised),
                                            totalDensity: keep(plain.totalDensity), upDensity: up, downDensity: down)
        }
        guard let mesh = storageMesh else { throw EmulatorError.invalidInput("free-atom table: no elements given") }
        return try EmulatorAtomTable(conventions: Conventions(settings), mesh: mesh, entries: entries)
    }

    /// The valence sub-shells (n, l) of an element: ns, np (n = period), n_d d (n_d = max(3, period − 1)).
    public static func valenceShells(_ e: Element) -> [(n: Int, l: Int)] {
        let p = e.period
        return [(p, 0), (p, 1), (max(3, p - 1), 2)]
    }

    /// The neutral non-polarised atom with its empty valence sub-shells added at occupation 0
    /// (same density and potential as the ground-state atom; the empty levels are computed in
    /// its potential).
    public static func valenceAtom(_ e: Element, settings: HostSettings) throws -> AtomResult {
        var configuration = e.configuration
        for (n, l) in valenceShells(e) where l < n && !configuration.contains(where: { $0.n == n && $0.l == l }) {
            configuration.append(Orbital(n: n, l: l, occupation: 0))
        }
        var atomSettings = AtomSettings(relativity: settings.relativity, functional: settings.functional == "pw92" ? .pw92 : .vwn,
                                        spinPolarized: false).jukkrConventions
        atomSettings.speedOfLightRy = settings.speedOfLight
        return try FreeAtom.solve(e, configuration: configuration, settings: atomSettings)
    }

    static func features(valence: AtomResult, plain: AtomResult, polarised: AtomResult) -> [Double] {
        var out: [Double] = []
        for (n, l) in valenceShells(valence.element) {
            if let o = valence.orbitals.first(where: { $0.n == n && $0.l == l }) {
                out += [o.energyRy, o.meanRadiusBohr]
            } else {
                out += [0, 0]
            }
        }
        let homo = plain.orbitals.filter { $0.occupation > 0 }.map(\.energyRy).max() ?? 0
        func splitting(l: Int) -> Double {
            let shells = polarised.occupations.filter { $0.l == l && $0.total > 0 }
            guard let outer = shells.max(by: { $0.n < $1.n }), polarised.channels.count == 2,
                  let up = polarised.eigenvalueRy(n: outer.n, l: l, channel: 0),
                  let down = polarised.eigenvalueRy(n: outer.n, l: l, channel: 1) else { return 0 }
            return down - up
        }
        return out + [homo, polarised.magneticMoment, splitting(l: 2), splitting(l: 0)]
    }

    public func entry(_ element: Element) throws -> Entry {
        guard let e = entries[element.atomicNumber] else {
            throw DescriptorError.missingElementFeatures(
                element: element.symbol,
                detail: "the model's free-atom table covers Z = \(entries.keys.min() ?? 0)…\(entries.keys.max() ?? 0); "
                    + "retrain with a table that includes it")
        }
        return e
    }

    /// Features derived from the table (appended by `featureTable`):
    /// - the inverse mean radii 1/⟨r⟩ of the valence ns and n_d sub-shells (bohr⁻¹; 0 if the
    ///   sub-shell cannot exist). Unlike ⟨r⟩ they stay bounded for empty, barely bound
    ///   sub-shells — the 3d level of Al has ⟨r⟩ ≈ 30 bohr, which makes ⟨r_d⟩ an extreme outlier
    ///   for every sp element — and they measure what enters the Coulomb and hybridisation
    ///   energies, ⟨1/r⟩ ~ 1/⟨r⟩ (W. A. Harrison, Electronic Structure and the Properties of
    ///   Solids, Freeman 1980, ch. 20: d-state couplings scale with powers of r_d/d);
    /// - the electrons of the neutral non-polarised free atom outside r = 2.6 and 3.0 bohr
    ///   (Z − ∫_0^r n 4πr'² dr'), which bracket the atomic-sphere radii of the metal hosts
    ///   (2.6–3.0 bohr for Cu, V, Pd, Al). In the atomic-sphere picture the part of an atom's
    ///   charge outside the host sphere, relative to the host atom's, is the charge the
    ///   superposition start moves across the sphere boundary (L. F. Mattheiss, Phys. Rev. 133,
    ///   A1399 (1964)); the start renormalises it away, and the converged impurity charge
    ///   q_imp — whose Madelung shift is 70 % of the start's error (docs/emulator.md §15) —
    ///   follows it in part.
    public static let derivedFeatureNames = ["compactness_ns_perBohr", "compactness_d_perBohr",
                                             "electronsOutside_2p6bohr", "electronsOutside_3p0bohr"]

    static let outsideRadiiBohr = [2.6, 3.0]

    func derivedFeatures(_ z: Int, _ e: Entry) throws -> [Double] {
        let f = e.features
        func inv(_ name: String) -> Double {
            let r = f[Self.featureNames.firstIndex(of: name)!]
            return r > 0 ? 1 / r : 0
        }
        let cumulative = mesh.cumulativeIntegral((0..<mesh.count).map { 4 * Double.pi * e.totalDensity[$0] * mesh.r[$0] * mesh.r[$0] })
        let outside = try Self.outsideRadiiBohr.map { Double(z) - (try mesh.interpolate(cumulative, at: $0)) }
        return [inv("r_ns_bohr"), inv("r_d_bohr")] + outside
    }

    /// The element features as a provider for the descriptors: `Element.propertyVector`
    /// followed by `featureNames` and `derivedFeatureNames` of every tabulated element.
    public func featureTable() throws -> ElementFeatureTable {
        var extra: [String: [Double]] = [:]
        for (z, e) in entries { extra[try PeriodicTable.element(atomicNumber: z).symbol] = e.features + (try derivedFeatures(z, e)) }
        return try ElementFeatureTable(extraNames: Self.featureNames + Self.derivedFeatureNames, extraValues: extra)
    }

    // MARK: Storage as model attachments

    static let attachmentPrefix = "freeAtoms"

    /// The table as model-file attachments (`EmulatorModel.attachments`).
    public func attachments() -> [String: HDF5Array<Double>] {
        let zs = entries.keys.sorted()
        let n = mesh.count, f = Self.featureNames.count
        var densities: [Double] = []
        densities.reserveCapacity(zs.count * 3 * n)
        var features: [Double] = []
        for z in zs {
            let e = entries[z]!
            densities += e.totalDensity + e.upDensity + e.downDensity
            features += e.features
        }
        let relativityCode: Double = conventions.relativity == .scalarRelativistic ? 1 : 0
        let functionalCode: Double = conventions.functional == "pw92" ? 1 : 0
        return [
            "\(Self.attachmentPrefix)_atomicNumbers": HDF5Array(shape: [zs.count], values: zs.map(Double.init)),
            "\(Self.attachmentPrefix)_mesh": HDF5Array(shape: [3], values: [mesh.a, mesh.rmax, Double(n)]),
            "\(Self.attachmentPrefix)_conventions": HDF5Array(shape: [3], values: [relativityCode, functionalCode, conventions.speedOfLight]),
            "\(Self.attachmentPrefix)_features": HDF5Array(shape: [zs.count, f], values: features),
            "\(Self.attachmentPrefix)_densities": HDF5Array(shape: [zs.count, 3, n], values: densities),
        ]
    }

    /// Reads the table back from model attachments; nil if the model has none.
    public init?(attachments a: [String: HDF5Array<Double>], file: String = "<model>") throws {
        let p = Self.attachmentPrefix
        guard let zArr = a["\(p)_atomicNumbers"] else { return nil }
        guard let meshArr = a["\(p)_mesh"], meshArr.count == 3, let conv = a["\(p)_conventions"], conv.count == 3,
              let feat = a["\(p)_features"], let dens = a["\(p)_densities"] else {
            throw EmulatorError.corruptFile(file: file, detail: "attachments: incomplete free-atom table")
        }
        let zs = zArr.values.map { Int($0) }
        let n = Int(meshArr.values[2]), f = Self.featureNames.count
        guard feat.shape == [zs.count, f], dens.shape == [zs.count, 3, n] else {
            throw EmulatorError.corruptFile(file: file, detail: "attachments: free-atom features \(feat.shape) / densities \(dens.shape) "
                + "do not match \(zs.count) elements, \(f) features, \(n) mesh points")
        }
        let mesh = try RadialMesh(rmax: meshArr.values[1], a: meshArr.values[0], count: n)
        var entries: [Int: Entry] = [:]
        for (i, z) in zs.enumerated() {
            let o = i * 3 * n
            entries[z] = Entry(features: Array(feat.values[(i * f)..<((i + 1) * f)]),
                               totalDensity: Array(dens.values[o..<(o + n)]),
                               upDensity: Array(dens.values[(o + n)..<(o + 2 * n)]),
                               downDensity: Array(dens.values[(o + 2 * n)..<(o + 3 * n)]))
        }
        let conventions = Conventions(relativity: conv.values[0] == 1 ? .scalarRelativistic : .nonRelativistic,
                                      functional: conv.values[1] == 1 ? "pw92" : "vwn", speedOfLight: conv.values[2])
        try self.init(conventions: conventions, mesh: mesh, entries: entries)
    }
}
