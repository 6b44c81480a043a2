/// A change of the stored potential of one block (one site, one spin), Ry.
///
/// Convention: ΔV changes the **stored** quantities, i.e. Δvm2z for the spherical part (the
/// electronic potential without the nuclear term −2Z/r; a change of Z is made through
/// `ImpuritySpecification.substitution`, never through ΔV, so ΔV stays finite at r = 0) and
/// ΔV_L for the non-spherical components (real-harmonic coefficients, `LMIndex`).
public struct PotentialDelta: Equatable, Sendable {
    /// Added to vm2z on all NR points of the block's mesh (nil: no spherical change).
    public var sphericalRy: [Double]?
    /// Added to V_L on the outer IRNS+1 points; components absent from the block are created.
    public var nonSphericalRy: [LMIndex: [Double]]

    public init(sphericalRy: [Double]? = nil, nonSphericalRy: [LMIndex: [Double]] = [:]) {
        self.sphericalRy = sphericalRy
        self.nonSphericalRy = nonSphericalRy
    }

    /// ΔV tabulated from a function of (lm, r) on a site mesh: `f(.spherical, r)` is the
    /// spherical Δvm2z, `f(lm, r)` for each of `components` the ΔV_L on the outer
    /// `nonSphericalPointCount` points.
    public static func sampling(mesh: SiteMesh, nonSphericalPointCount: Int, components: [LMIndex],
                                _ f: (LMIndex, Double) throws -> Double) rethrows -> PotentialDelta {
        let sph = try mesh.r.map { try f(.spherical, $0) }
        var ns: [LMIndex: [Double]] = [:]
        for lm in components where lm != .spherical {
            ns[lm] = try mesh.r.suffix(nonSphericalPointCount).map { try f(lm, $0) }
        }
        return PotentialDelta(sphericalRy: sph, nonSphericalRy: ns)
    }
}

/// ΔV of one cluster site: one `PotentialDelta` per spin block (NSPIN entries), or a single
/// entry applied to every spin.
public struct SiteDelta: Equatable, Sendable {
    public var spins: [PotentialDelta]
    public init(spins: [PotentialDelta]) { self.spins = spins }
    public init(_ delta: PotentialDelta) { spins = [delta] }
}

/// What sits on the impurity site (cluster index 0) of a KKRimp potential.
public enum ImpuritySpecification: Sendable {
    /// Ready-made blocks (NSPIN of them), written unchanged except for ΔV: e.g. the voronoi
    /// `output.pot` block of the impurity element computed on the host mesh, which is what
    /// aiida-kkr's `neworder_potential_wf` inserts (FORMATS.md §1c step 3-4).
    case blocks([PotentialBlock])
    /// The host block of the centre site with Z, the core states and the title label (columns
    /// 1-4, e.g. `Ag47`) replaced; the rest of the title, the mesh, E_F and VBC stay the host's
    /// (KKRimp ignores E_F and VBC, read_potential.f90 87-88). Core states are the same for all
    /// spins; KKRimp needs all of them below EMIN of the contour (FORMATS.md §1c step 5).
    case substitution(nuclearCharge: Double, label: String, coreLevels: [CoreLevelLine])
}

extension PotentialBlock {
    /// The block with `delta` added (`docs/formats.md` §5). Components created by ΔV are
    /// inserted in ascending lm order with the KKRhost formats; all other text details stay.
    public func adding(_ delta: PotentialDelta) throws(PotentialFileError) -> PotentialBlock {
        var out = self
        let path = source?.path ?? "<memory>"
        func fail(_ m: String) -> PotentialFileError {
            PotentialFileError(path: path, line: source?.line, message: "cannot add ΔV to block \(label): \(m)")
        }
        if let problem = validationProblem() { throw fail(problem) }
        if let s = delta.sphericalRy {
            guard s.count == radialPointCount else { throw fail("spherical ΔV has \(s.count) values, NR = \(radialPointCount)") }
            guard s.allSatisfy(\.isFinite) else { throw fail("spherical ΔV contains NaN or infinite values") }
            for i in 0..<s.count { out.vm2zRy[i] += s[i] }
        }
        guard !delta.nonSphericalRy.isEmpty else { return out }
        guard let fp = fullPotential else { throw fail("a spherical (INS = 0) block cannot take non-spherical ΔV") }
        guard fp.isave == 1 else { throw fail("ISAVE = 0 blocks are read-only here; KKRimp rejects them") }
        for lm in delta.nonSphericalRy.keys.sorted() {
            let d = delta.nonSphericalRy[lm]!
            guard lm.jukkrIndex >= 2 && lm.jukkrIndex <= fp.lmpot else {
                throw fail("ΔV component lm = \(lm.jukkrIndex) \(lm) outside 2…LMPOT = \(fp.lmpot)")
            }
            guard d.count == fp.irns + 1 else { throw fail("ΔV of lm = \(lm.jukkrIndex) has \(d.count) values, IRNS+1 = \(fp.irns + 1)") }
            guard d.allSatisfy(\.isFinite) else { throw fail("ΔV of lm = \(lm.jukkrIndex) contains NaN or infinite values") }
            if let k = out.nonSpherical.firstIndex(where: { $0.lm == lm }) {
                for i in 0..<d.count { out.nonSpherical[k].valuesRy[i] += d[i] }
            } else {
                let at = out.nonSpherical.firstIndex(where: { $0.lm > lm }) ?? out.nonSpherical.count
                out.nonSpherical.insert(NonSphericalComponent(lm: lm, valuesRy: d, valueStyle: sphericalStyle), at: at)
            }
        }
        return out
    }
}

extension PotentialFile {
    /// The KKRimp starting potential of an impurity cluster (`docs/formats.md` §5;
    /// aiida-kkr `construct_startpot` + `neworder_potential_wf`, FORMATS.md §1c):
    /// cluster site k gets the NSPIN host blocks of host site `cluster.sites[k].hostSiteNumber`
    /// (scoef column 4), site 0 is replaced by `impurity`, and ΔV from `delta(k, site)` is added.
    /// Blocks without ΔV are byte copies of the host blocks, as aiida-kkr's text-level copy makes
    /// them.
    public static func clusterPotential(host: PotentialFile, cluster: ImpurityCluster, impurity: ImpuritySpecification,
                                        delta: (Int, ImpurityCluster.Site) throws -> SiteDelta?) throws -> PotentialFile {
        let nspin = host.spinCount
        var blocks: [PotentialBlock] = []
        blocks.reserveCapacity(cluster.sites.count * nspin)
        for (k, site) in cluster.sites.enumerated() {
            let hs = site.hostSiteNumber - 1
            guard hs >= 0 && hs < host.siteCount else {
                throw PotentialFileError(kind: "scoef", path: "<cluster>", line: k + 2,
                                         message: "cluster site \(k + 1) refers to host site \(site.hostSiteNumber), the host potential has \(host.siteCount) site(s)")
            }
            var siteBlocks = host.blocks(ofSite: hs)
            if k == 0 {
                switch impurity {
                case .blocks(let b):
                    guard b.count == nspin else {
                        throw PotentialFileError(path: "<impurity>", line: nil,
                                                 message: "the impurity needs \(nspin) block(s) (host NSPIN), \(b.count) given")
                    }
                    for (h, i) in zip(siteBlocks, b) { try checkSameMesh(i, as: h, what: "the impurity block") }
                    siteBlocks = b
                case .substitution(let z, let label, let cores):
                    guard z >= 0, z.isFinite else {
                        throw PotentialFileError(path: "<impurity>", line: nil, message: "impurity Z = \(z) must be ≥ 0")
                    }
                    for i in siteBlocks.indices {
                        siteBlocks[i].nuclearCharge = z
                        siteBlocks[i].coreLevels = cores
                        let rest = siteBlocks[i].title.dropFirst(4)
                        siteBlocks[i].title = PotentialTitle.pad(String(label.prefix(4)), 4) + rest
                    }
                }
            }
            if let d = try delta(k, site) {
                guard d.spins.count == 1 || d.spins.count == nspin else {
                    throw PotentialFileError(path: "<delta>", line: nil,
                                             message: "ΔV of cluster site \(k + 1) has \(d.spins.count) spin entries; 1 or NSPIN = \(nspin) expected")
                }
                for i in siteBlocks.indices {
                    siteBlocks[i] = try siteBlocks[i].adding(d.spins.count == 1 ? d.spins[0] : d.spins[i])
                }
            }
            blocks.append(contentsOf: siteBlocks)
        }
        return try PotentialFile(blocks: blocks, spinCount: nspin)
    }

    /// `clusterPotential` with ΔV given per cluster site (`nil` = unchanged host copy).
    public static func clusterPotential(host: PotentialFile, cluster: ImpurityCluster, impurity: ImpuritySpecification,
                                        perSiteDelta: [SiteDelta?]) throws -> PotentialFile {
        guard perSiteDelta.count == cluster.sites.count else {
            throw PotentialFileError(path: "<delta>", line: nil,
                                     message: "\(perSiteDelta.count) ΔV entries for \(cluster.sites.count) cluster sites")
        }
        return try clusterPotential(host: host, cluster: cluster, impurity: impurity) { k, _ in perSiteDelta[k] }
    }
}
