import ExchangeCorrelation
import Foundation
import KKR
import KKRNumerics
import Radial
import SCF

/// Input/output state of the impurity SCF: the spherical potential of every cluster site
/// (impurity first, cluster order).
public struct ImpurityState: Sendable {
    public var sites: [SphericalPotential]
    public init(sites: [SphericalPotential]) { self.sites = sites }
}

/// A cluster site: nuclear charge and the core states to solve in its potential.
public struct ImpuritySiteSpec: Sendable {
    public var atomicNumber: Int
    public var coreStates: [CoreStateSpec]
    public init(atomicNumber: Int, coreStates: [CoreStateSpec]) {
        self.atomicNumber = atomicNumber
        self.coreStates = coreStates
    }
}

/// Physical results of one impurity evaluation.
public struct ImpurityIterationResult: Sendable {
    /// Electrons in each sphere (valence + core).
    public var electrons: [Double]
    /// Net ionic charge q_n = Z_n − N_n.
    public var charges: [Double]
    public var moments: [Double]
    /// Total lm-resolved density per site [site][spin][L][r].
    public var density: [[[[Double]]]]
    /// Non-spherical potential components of the output [site][spin][L][r].
    public var nonSpherical: [[[[Double]]]]
    public var coreLevels: [[[CoreLevel]]]
}

/// The self-consistency map of an impurity cluster embedded in a host (KKR_NOTES §9): at every
/// contour point of the host, t-matrices of all cluster sites from their current potentials,
/// the Dyson equation G_imp = [1 − G_host Δt]⁻¹ G_host with Δt = blockdiag(t_n − t_host), lm-resolved
/// valence densities from the site-diagonal blocks, core states, intra-sphere Poisson plus the
/// intercell multipole terms of the cluster charges, LDA/LSDA. The host Fermi level is fixed
/// (the host is the reservoir): no charge renormalisation.
public struct ImpurityProblem: SelfConsistentProblem {
    public let green: HostClusterGreenFunction
    public let sites: [ImpuritySiteSpec]
    public let spinCount: Int
    let solver: SingleSiteSolver
    let gaunt: GauntTable
    let builder: SitePotentialBuilder
    /// t_host(E_j) per host spin (L-diagonal).
    let hostT: [[[ComplexDouble]]]
    public private(set) var lastResult: ImpurityIterationResult?
    var lastCoreEnergies: [[[Double]?]]
    /// The host's potential-zero shift VBC, added to every new site potential (the cluster lives
    /// in the host's energy zero).
    let potentialZeroShift: Double
    /// Exchange splitting held on the impurity site in the first iterations (magnetic start).
    public var splitting: (sizeRy: Double, iterations: Int) = (0, 0)

    public init(green: HostClusterGreenFunction, sites: [ImpuritySiteSpec], spinPolarized: Bool) throws {
        guard sites.count == green.geometry.count else {
            throw ImpurityError.invalidSettings("\(sites.count) site specifications for a cluster of \(green.geometry.count) sites")
        }
        let hs = green.host.settings
        self.green = green
        self.sites = sites
        spinCount = spinPolarized ? 2 : 1
        guard !(green.hostSpinCount == 2 && !spinPolarized) else {
            throw ImpurityError.invalidSettings("the host is spin-polarised; run the impurity with spin polarisation too")
        }
        let singleSite = SingleSiteSolver(lmax: hs.lmax, relativity: hs.relativity, speedOfLight: hs.speedOfLight)
        solver = singleSite
        gaunt = GauntTable(lmax: hs.lmax)
        builder = try SitePotentialBuilder(lpot: 2 * hs.lmax, functional: hs.functional == "pw92" ? .pw92 : .vwn,
                                           spinPolarized: spinPolarized)
        let eqs = try (0..<green.hostSpinCount).map { try singleSite.equations(green.host.potential, spin: $0) }
        let points = green.contour.points
        let t = try parallelMapPublic(points.count) { j in try eqs.map { try singleSite.solve($0, energy: points[j].energy).tMatrixDiagonal } }
        hostT = (0..<green.hostSpinCount).map { s in (0..<points.count).map { t[$0][s] } }
        lastCoreEnergies = [[[Double]?]](repeating: [nil, nil], count: sites.count)
        potentialZeroShift = try green.host.potentialZeroShiftRy()
    }

    public var clusterSize: Int { sites.count }
    var lmax: Int { green.lmax }

    /// Host spin channel used for impurity spin `s`.
    func hostSpin(_ s: Int) -> Int { green.hostSpinCount == 1 ? 0 : s }

    /// Valence densities [site][spin][L][r] for the input potentials.
    func valenceDensity(_ input: ImpurityState) throws -> [[[[Double]]]] {
        let points = green.contour.points
        let ns = spinCount, nsite = clusterSize, nl = lmCount(lmax)
        let sol = solver, g = gaunt, lm = lmax, rel = green.host.settings.relativity, cl = green.host.settings.speedOfLight
        let equations = try input.sites.map { site in try (0..<ns).map { try sol.equations(site, spin: min($0, site.spinCount - 1)) } }
        let meshes = input.sites.map(\.mesh)
        let gm = green.matrices, ht = hostT
        let hostSpinOf: @Sendable (Int) -> Int = { [hostCount = green.hostSpinCount] s in hostCount == 1 ? 0 : s }
        // per energy point: [spin][site] density contributions
        let perPoint = try parallelMapPublic(points.count) { j -> [[[[ComplexDouble]]]] in
            var out: [[[[ComplexDouble]]]] = []
            for s in 0..<ns {
                let hs = hostSpinOf(s)
                let solutions = try equations.map { try sol.solve($0[s], energy: points[j].energy) }
                // A = 1 − G_host Δt, Δt = blockdiag(t_n − t_host) (L-diagonal): scale columns
                let gh = gm[hs][j]
                let n = gh.rows
                var a = ComplexMatrix.identity(n)
                var anyScatterer = false
                for site in 0..<nsite {
                    let t = solutions[site].tMatrixDiagonal
                    for L in 0..<nl {
                        let dt = t[L] - ht[hs][j][L]
                        if dt == .zero { continue }
                        anyScatterer = true
                        let col = site * nl + L
                        for r in 0..<n { a[r, col] -= gh[r, col] * dt }
                    }
                }
                let gimp = anyScatterer ? try a.solve(gh) : gh
                var perSite: [[[ComplexDouble]]] = []
                for site in 0..<nsite {
                    let acc = ValenceDensityAccumulator(mesh: meshes[site], lmax: lm, gaunt: g, relativity: rel, speedOfLight: cl)
                    let block = gimp.block(rows: site * nl, nl, cols: site * nl, nl)
                    perSite.append(acc.contribution(solution: solutions[site], structural: block).density)
                }
                out.append(perSite)
            }
            return out
        }
        var result: [[[[Double]]]] = []
        for site in 0..<nsite {
            var perSpin: [[[Double]]] = []
            for s in 0..<ns {
                var acc = ValenceDensityAccumulator(mesh: meshes[site], lmax: lm, gaunt: g, relativity: rel, speedOfLight: cl)
                for j in 0..<points.count { acc.add(perPoint[j][s][site], weight: points[j].weight) }
                perSpin.append(acc.density())
            }
            result.append(perSpin)
        }
        return result
    }

    public mutating func evaluate(_ rawInput: ImpurityState) throws -> SCFEvaluation<ImpurityState> {
        var input = rawInput
        if splitting.iterations > 0 && spinCount == 2 {
            let d = splitting.sizeRy / 2
            input.sites[0].smooth[0] = input.sites[0].smooth[0].map { $0 - d }
            input.sites[0].smooth[1] = input.sites[0].smooth[1].map { $0 + d }
            splitting.iterations -= 1
        }
        let valence = try valenceDensity(input)
        let y00 = 1 / (4 * Double.pi).squareRoot()
        let spinFactor = spinCount == 2 ? 1.0 : 2.0
        var total: [[[[Double]]]] = []
        var electrons: [Double] = [], moments: [Double] = [], coreLevels: [[[CoreLevel]]] = []
        for (n, site) in input.sites.enumerated() {
            var perSpin: [[[Double]]] = []
            var levels: [[CoreLevel]] = []
            for s in 0..<spinCount {
                let core = try CoreStates.solve(potential: site, spin: min(s, site.spinCount - 1), states: sites[n].coreStates,
                                                relativity: green.host.settings.relativity,
                                                speedOfLight: green.host.settings.speedOfLight,
                                                occupationFactor: 1 / Double(spinCount), guesses: lastCoreEnergies[n][s])
                lastCoreEnergies[n][s] = core.levels.map(\.energyRy)
                levels.append(core.levels)
                var d = valence[n][s].map { $0.map { $0 * spinFactor } }
                for i in 0..<site.mesh.count { d[0][i] += core.density[i] / y00 }
                perSpin.append(d)
            }
            total.append(perSpin)
            coreLevels.append(levels)
            let mesh = site.mesh
            let ne = perSpin.reduce(0.0) { $0 + Electrostatics.charge(sphericalDensity: $1[0].map { $0 * y00 }, mesh: mesh) }
            electrons.append(ne)
            moments.append(spinCount == 2
                           ? Electrostatics.charge(sphericalDensity: zip(perSpin[0][0], perSpin[1][0]).map { ($0 - $1) * y00 }, mesh: mesh)
                           : 0)
        }
        let charges = (0..<clusterSize).map { Double(sites[$0].atomicNumber) - electrons[$0] }
        // new potentials: intra-sphere + intercell multipoles of the other cluster sites' charges
        var outSites: [SphericalPotential] = []
        var nonSpherical: [[[[Double]]]] = []
        let positions = green.geometry.positions
        for n in 0..<clusterSize {
            var q: [Double] = [], d: [SIMD3<Double>] = []
            for m in 0..<clusterSize where m != n { q.append(charges[m]); d.append(positions[m] - positions[n]) }
            let c = Electrostatics.intercellCoefficients(charges: q, displacements: d, lmax: 2 * lmax)
            var (sph, ns) = try builder.build(density: total[n], mesh: input.sites[n].mesh, intercell: c)
            if potentialZeroShift != 0 { sph = sph.map { $0.map { $0 + potentialZeroShift } } }
            outSites.append(SphericalPotential(atomicNumber: sites[n].atomicNumber, mesh: input.sites[n].mesh, smooth: sph))
            nonSpherical.append(ns)
        }
        // JuKKR rms: average over sites of the squared per-site rms (charge and magnetic parts)
        var rc = 0.0, rm = 0.0
        for n in 0..<clusterSize {
            let r = outSites[n].rmsDifference(to: rawInput.sites[n])
            rc += r.charge * r.charge; rm += r.magnetic * r.magnetic
        }
        rc = (rc / Double(clusterSize)).squareRoot(); rm = (rm / Double(clusterSize)).squareRoot()
        lastResult = ImpurityIterationResult(electrons: electrons, charges: charges, moments: moments, density: total,
                                             nonSpherical: nonSpherical, coreLevels: coreLevels)
        let zHost = Double(green.host.potential.atomicNumber)
        let dN = electrons.reduce(0, +) - zHost * Double(clusterSize)
        return SCFEvaluation(output: ImpurityState(sites: outSites), rms: max(rc, rm),
                             diagnostics: ["impurityMomentMuB": moments[0], "impurityCharge": charges[0],
                                           "clusterScreeningCharge": dN, "rmsCharge": rc, "rmsMagnetic": rm])
    }

    // MARK: mixing: per site (charge part, magnetic part)

    public func pack(_ s: ImpurityState) -> [Double] {
        var v: [Double] = []
        for site in s.sites {
            let (c, m) = site.chargeAndMagneticParts
            v += c
            if spinCount == 2 { v += m }
        }
        return v
    }

    public func unpack(_ v: [Double], template: ImpurityState) -> ImpurityState {
        var out = template
        var o = 0
        for k in 0..<template.sites.count {
            let n = template.sites[k].mesh.count
            let c = Array(v[o..<(o + n)]); o += n
            if spinCount == 2 {
                let m = Array(v[o..<(o + n)]); o += n
                out.sites[k].smooth = [zip(c, m).map { $0 + $1 }, zip(c, m).map { $0 - $1 }]
            } else {
                out.sites[k].smooth = [c]
            }
        }
        return out
    }

    /// Mixing metric (3/R³) r² dr/di per site and part, divided by the number of sites (so that
    /// ⟨F|F⟩ is the JuKKR mean square).
    public func mixingWeights(_ s: ImpurityState) -> [Double] {
        var w: [Double] = []
        for site in s.sites {
            let mesh = site.mesh
            let r3 = pow(mesh.rmax, 3)
            let ws = (0..<mesh.count).map { 3 / r3 * mesh.r[$0] * mesh.r[$0] * mesh.drdi[$0] / Double(s.sites.count) }
            w += ws
            if spinCount == 2 { w += ws }
        }
        return w
    }

    /// Straight-mixing component scale: 1 for charge parts, `magneticFactor` for magnetic parts.
    public func componentScale(_ s: ImpurityState, magneticFactor: Double) -> [Double]? {
        guard spinCount == 2 else { return nil }
        var c: [Double] = []
        for site in s.sites {
            c += [Double](repeating: 1, count: site.mesh.count)
            c += [Double](repeating: magneticFactor, count: site.mesh.count)
        }
        return c
    }
}
