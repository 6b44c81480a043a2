import Foundation
import Elements
import KKRNumerics
import Lattice
import Testing
@testable import Descriptors

/// Brute-force checks of the Jacobi–Legendre descriptors, equivariance (acceptance test of issue
/// 8), invariances and the impurity-cluster environments.
@Suite struct DescriptorTests {
    static let host = element("Cu")
    static let species = [element("Cu"), element("Fe"), element("Ag")]

    /// Channels: geometry, Δ valence/2 (relative to the host), absolute Z/10.
    static func configuration(lMax: Int = 4, lOutMax: Int = 4, nMax: Int = 3) throws -> JacobiLegendreConfiguration {
        try JacobiLegendreConfiguration(alpha: 0.7, beta: -0.3, nMax: nMax, lMax: lMax, lOutMax: lOutMax, rMin: 1.0,
                                        rCut: 7.0, lengthUnit: .bohr,
                                        channels: [.constant, .relative("valenceElectrons", scale: 2), .absolute("Z", scale: 10)])
    }

    /// g_c(e) written out from the tabulated element data (not through SpeciesEmbedding).
    static func channelValues(_ e: Element) -> [Double] {
        [1, (e.electronsOutsideNobleGasCore - host.electronsOutsideNobleGasCore) / 2, Double(e.atomicNumber) / 10]
    }

    /// P̃_n(x(r)) from the explicit Jacobi sum.
    static func radial(_ n: Int, _ r: Double, _ c: JacobiLegendreConfiguration) -> Double {
        guard r < c.rCut else { return 0 }
        let x = r <= c.rMin ? 1 : cos(Double.pi * (r - c.rMin) / (c.rCut - c.rMin))
        return jacobiBySum(n, c.alpha, c.beta, x) - jacobiBySum(n, c.alpha, c.beta, -1)
    }

    /// G_a(i) = g_c(e_i) P̃_n(r_i) for all neighbours, a = c·nMax + n − 1.
    static func weights(_ env: AtomicEnvironment, _ c: JacobiLegendreConfiguration) -> [[Double]] {
        env.neighbours.map { nb in
            let g = channelValues(nb.element), r = length(nb.positionBohr)
            return (0..<(c.channels.count * c.nMax)).map { a in g[a / c.nMax] * radial(a % c.nMax + 1, r, c) }
        }
    }

    static func describe(_ env: AtomicEnvironment, _ d: JacobiLegendreDescriptor) throws -> SiteDescriptor {
        let embedding = try SpeciesEmbedding(channels: d.configuration.channels, host: host, provider: ElementFeatureTable())
        return try d.describe(env, embedding: embedding, lengthScaleBohr: 1)
    }

    /// One-body invariants equal (4π)^{−1/2} Σ_i g P̃, and the two-body invariants equal the
    /// explicit JLCDM double sum (2l+1)/(4π) Σ_{i,j} G_a(i) G_b(j) P_l(cos θ_ij) with P_l from
    /// Bonnet's recurrence, for every l ≤ lMax and every pair a ≤ b (i = j included). Guards against
    /// the JLCDM public-code bug of zeroed two-body columns.
    @Test func invariantsEqualBruteForceDoubleSums() throws {
        var rng = SplitMix64(seed: 11)
        let c = try Self.configuration()
        let d = try JacobiLegendreDescriptor(configuration: c)
        let env = randomEnvironment(&rng, centre: element("Fe"), species: Self.species, count: 9, rLow: 1.2, rHigh: 7.5)
        let f = try Self.describe(env, d).invariants
        #expect(f.count == d.invariantCount)
        #expect(d.invariantLabels.count == d.invariantCount)
        let g = Self.weights(env, c)
        let k = c.channels.count * c.nMax
        let dirs = env.neighbours.map { $0.positionBohr / length($0.positionBohr) }
        var index = 0
        for a in 0..<k {
            let ref = g.map { $0[a] }.reduce(0, +) / (4 * Double.pi).squareRoot()
            #expect(abs(f[index] - ref) < 1e-12 * max(1, abs(ref)))
            index += 1
        }
        var nonZero = 0
        for l in 0...c.lMax {
            for a in 0..<k {
                for b in a..<k {
                    var s = 0.0
                    for i in dirs.indices {
                        for j in dirs.indices { s += g[i][a] * g[j][b] * legendre(l, dot(dirs[i], dirs[j])) }
                    }
                    let ref = Double(2 * l + 1) / (4 * Double.pi) * s
                    #expect(abs(f[index] - ref) < 1e-11 * max(1, abs(ref)), "l=\(l) a=\(a) b=\(b)")
                    if abs(ref) > 1e-6 { nonZero += 1 }
                    index += 1
                }
            }
        }
        #expect(index == f.count)
        // Every channel pair has a non-trivial column (nothing zeroed by a loop guard): the only
        // zero columns come from the Δvalence channel of Cu neighbours, which are all non-zero here.
        #expect(nonZero == f.count - k)
    }

    /// Two-body equivariant features against a brute force independent of the Gaunt table:
    /// Σ_{m1m2} C(L; L1, L2) Y_L1(u) Y_L2(v) = ∫ Y_L(ω) K_l1(ω·u) K_l2(ω·v) dΩ with the
    /// reproducing kernel K_l(t) = (2l+1)/(4π) P_l(t), integrated exactly on a product grid
    /// (Gauss–Legendre in cos θ × equidistant φ); also the one-body part A_{a,l,m} directly.
    @Test func equivariantFeaturesEqualBruteForce() throws {
        var rng = SplitMix64(seed: 12)
        let c = try Self.configuration(lMax: 3, lOutMax: 4, nMax: 2)
        let d = try JacobiLegendreDescriptor(configuration: c)
        let env = randomEnvironment(&rng, centre: element("Cu"), species: Self.species, count: 5, rLow: 1.2, rHigh: 6.5)
        let desc = try Self.describe(env, d)
        let g = Self.weights(env, c)
        let k = c.channels.count * c.nMax
        let dirs = env.neighbours.map { $0.positionBohr / length($0.positionBohr) }
        // Quadrature grid, exact for polynomials of degree ≤ 3·lmax on the sphere.
        let gl = GaussLegendre(points: 12)
        let nPhi = 28
        var grid: [(Vector3, Double)] = []
        for (ct, wt) in zip(gl.nodes, gl.weights) {
            for ip in 0..<nPhi {
                let phi = 2 * Double.pi * Double(ip) / Double(nPhi)
                let st = (1 - ct * ct).squareRoot()
                grid.append((Vector3(st * cos(phi), st * sin(phi), ct), wt * 2 * Double.pi / Double(nPhi)))
            }
        }
        let kernel = { (l: Int, t: Double) -> Double in Double(2 * l + 1) / (4 * Double.pi) * legendre(l, t) }
        for lOut in 1...c.lOutMax {
            let w = 2 * lOut + 1
            var reference: [[Double]] = []
            if lOut <= c.lMax {
                for a in 0..<k {
                    reference.append((-lOut...lOut).map { m in
                        dirs.indices.reduce(0.0) { s, i in
                            s + g[i][a] * RealSphericalHarmonics.values(lmax: lOut, x: dirs[i].x, y: dirs[i].y, z: dirs[i].z)[lmIndex(lOut, m)]
                        }
                    })
                }
            }
            for l1 in 0...c.lMax {
                for l2 in l1...c.lMax where abs(l1 - l2) <= lOut && lOut <= l1 + l2 && (l1 + l2 + lOut) % 2 == 0 {
                    for a in 0..<k {
                        for b in (l1 == l2 ? a : 0)..<k {
                            var t = [Double](repeating: 0, count: w)
                            for (omega, wq) in grid {
                                let y = RealSphericalHarmonics.values(lmax: lOut, x: omega.x, y: omega.y, z: omega.z)
                                var s1 = 0.0, s2 = 0.0
                                for i in dirs.indices {
                                    let ci = kernel(l1, dot(omega, dirs[i])), cj = kernel(l2, dot(omega, dirs[i]))
                                    s1 += g[i][a] * ci
                                    s2 += g[i][b] * cj
                                }
                                for m in 0..<w { t[m] += wq * y[lOut * lOut + m] * s1 * s2 }
                            }
                            reference.append(t)
                        }
                    }
                }
            }
            let got = desc.equivariant[lOut - 1]
            #expect(got.count == reference.count * w)
            #expect(d.equivariantCount(l: lOut) == reference.count)
            #expect(d.equivariantLabels(l: lOut).count == reference.count)
            let scale = reference.flatMap { $0 }.map(abs).max()!
            #expect(maxAbsDifference(got, reference.flatMap { $0 }) < 1e-12 * scale, "l_out = \(lOut)")
        }
    }

    /// Acceptance: rotating the environment by random proper/improper rotations and the 48 cubic
    /// operations rotates every l ≥ 1 feature with D^l(R) (`RealHarmonicRotation`) to 1e-10
    /// (relative to the feature scale) and leaves the invariants unchanged.
    @Test func featuresRotateLikeSphericalHarmonics() throws {
        var rng = SplitMix64(seed: 13)
        let c = try Self.configuration(lMax: 4, lOutMax: 6, nMax: 3)
        let d = try JacobiLegendreDescriptor(configuration: c)
        let env = randomEnvironment(&rng, centre: element("Fe"), species: Self.species, count: 14, rLow: 1.2, rHigh: 7.2)
        let base = try Self.describe(env, d)
        var rotations = (0..<4).map { randomRotation(&rng, improper: $0 % 2 == 1) }
        rotations += PointGroup.cubicOh.operations.enumerated().filter { $0.offset % 8 == 3 }.map(\.element)
        var worst = 0.0
        for r in rotations {
            let rotated = try Self.describe(env.rotated(by: r), d)
            let invScale = base.invariants.map(abs).max()!
            #expect(maxAbsDifference(rotated.invariants, base.invariants) < 1e-12 * invScale)
            let dmat = try RealHarmonicRotation(r, lmax: c.lOutMax)
            for l in 1...c.lOutMax {
                let count = d.equivariantCount(l: l)
                let scale = base.equivariant[l - 1].map(abs).max()!
                #expect(scale > 1e-3)
                for j in 0..<count {
                    let f = Array(base.equivariantFeature(l: l, index: j))
                    let expected = (0..<(2 * l + 1)).map { i in
                        (0..<(2 * l + 1)).reduce(0.0) { $0 + dmat.blocks[l][i, $1] * f[$1] }
                    }
                    let err = maxAbsDifference(rotated.equivariantFeature(l: l, index: j), expected) / scale
                    worst = max(worst, err)
                    #expect(err < 1e-10, "l=\(l) feature \(j)")
                }
            }
        }
        print("descriptor equivariance: worst relative deviation \(worst) over \(rotations.count) rotations, l ≤ \(c.lOutMax)")
    }

    /// Permuting neighbours and translating all absolute positions leave every feature unchanged.
    @Test func permutationAndTranslationInvariance() throws {
        var rng = SplitMix64(seed: 14)
        let d = try JacobiLegendreDescriptor(configuration: try Self.configuration())
        let env = randomEnvironment(&rng, centre: element("Ag"), species: Self.species, count: 10, rLow: 1.2, rHigh: 7.2)
        let base = try Self.describe(env, d)
        var shuffled = env
        shuffled.neighbours.shuffle(using: &rng)
        let p = try Self.describe(shuffled, d)
        #expect(maxAbsDifference(p.invariants, base.invariants) < 1e-12)
        for l in 0..<4 { #expect(maxAbsDifference(p.equivariant[l], base.equivariant[l]) < 1e-12) }
        let centre = Vector3(3.1, -7.4, 0.25)
        let shift = Vector3(-20.5, 4.25, 11)
        let atoms = env.neighbours.map { (element: $0.element, positionBohr: $0.positionBohr + centre + shift) }
            + [(element: element("Fe"), positionBohr: centre + shift)]    // the centre atom itself is skipped
        let translated = AtomicEnvironment(centre: env.centre, centrePositionBohr: centre + shift, atoms: atoms)
        #expect(translated.neighbours.count == env.neighbours.count)
        let t = try Self.describe(translated, d)
        #expect(maxAbsDifference(t.invariants, base.invariants) < 1e-11)
        for l in 0..<4 { #expect(maxAbsDifference(t.equivariant[l], base.equivariant[l]) < 1e-11) }
    }

    /// A neighbour approaching r_cut changes the descriptors by O(ε²) (value and slope vanish),
    /// and one beyond r_cut does not change them at all.
    @Test func smoothVanishingAtCutoff() throws {
        var rng = SplitMix64(seed: 15)
        let c = try Self.configuration()
        let d = try JacobiLegendreDescriptor(configuration: c)
        let env = randomEnvironment(&rng, centre: element("Cu"), species: Self.species, count: 8, rLow: 1.2, rHigh: 6)
        let base = try Self.describe(env, d)
        let dir = randomUnitVector(&rng)
        var changes: [Double] = []
        for eps in [1e-2, 1e-3] {
            var e = env
            e.neighbours.append(.init(element: element("Fe"), positionBohr: (c.rCut - eps) * dir))
            let f = try Self.describe(e, d)
            changes.append(maxAbsDifference(f.invariants, base.invariants))
        }
        // Quadratic: a 10× smaller ε gives a ~100× smaller change.
        #expect(changes[0] > 0)
        #expect(changes[1] < 0.02 * changes[0])
        var beyond = env
        beyond.neighbours.append(.init(element: element("Fe"), positionBohr: (c.rCut + 1e-9) * dir))
        #expect(try Self.describe(beyond, d) == base)
    }

    /// Cluster environments: fcc 13 sites, bcc 9; the impurity environment has only host atoms,
    /// so relative chemical channels vanish, and by cubic symmetry its l = 1, 2, 3 features vanish
    /// while l = 4 does not; every neighbour site sees exactly one impurity, at −p.
    @Test func impurityClusterEnvironments() throws {
        let cfg = JacobiLegendreConfiguration.standard()
        let d = try JacobiLegendreDescriptor(configuration: cfg)
        for (type, a, expectedSites) in [(LatticeType.fcc, 6.82, 13), (.bcc, 5.42, 9)] {
            let lattice = try CrystalLattice(type, latticeConstantBohr: a)
            let cluster = try ImpurityCluster(lattice: lattice, host: element("Cu"), impurity: element("Fe"), shellCount: 1)
            #expect(cluster.siteCount == expectedSites)
            let dNN = lattice.nearestNeighbourDistanceBohr
            let envs = try cluster.environments(cutoffBohr: cfg.rCut * dNN)
            #expect(envs[0].centre == element("Fe"))
            #expect(envs[0].neighbours.allSatisfy { $0.element == element("Cu") })
            #expect(envs[0].neighbours.count == (type == .fcc ? 54 : 58))
            for i in 1..<envs.count {
                let imps = envs[i].neighbours.filter { $0.element == element("Fe") }
                #expect(imps.count == 1)
                #expect(length(imps[0].positionBohr + cluster.positionsBohr[i]) < 1e-10)
            }
            let embedding = try SpeciesEmbedding(channels: cfg.channels, host: element("Cu"), provider: ElementFeatureTable())
            let imp = try d.describe(envs[0], embedding: embedding, lengthScaleBohr: dNN)
            // Channels 1, 2 (relative) of the density vanish.
            let nLM = lmCount(cfg.lMax)
            #expect(imp.density[(cfg.nMax * nLM)...].allSatisfy { $0 == 0 })
            #expect(imp.centreChannels == [1, (8.0 - 11.0) / 2, 0])
            for l in 1...3 { #expect(imp.equivariant[l - 1].map(abs).max()! < 1e-12) }
            #expect(imp.equivariant[3].map(abs).max()! > 1e-3)
            let nn = try d.describe(envs[1], embedding: embedding, lengthScaleBohr: dNN)
            #expect(nn.equivariant[0].map(abs).max()! > 1e-3)   // the impurity breaks the cubic symmetry
        }
    }

    /// Host-in-host: with relative channels all chemical descriptor parts are zero, and the
    /// constant-channel part equals that of the pure host cluster.
    @Test func hostInHostHasNoChemicalSignal() throws {
        let cfg = JacobiLegendreConfiguration.standard()
        let d = try JacobiLegendreDescriptor(configuration: cfg)
        let lattice = try CrystalLattice(.fcc, latticeConstantBohr: 6.82)
        let cluster = try ImpurityCluster(lattice: lattice, host: element("Cu"), impurity: element("Cu"), shellCount: 1)
        let embedding = try SpeciesEmbedding(channels: cfg.channels, host: element("Cu"), provider: ElementFeatureTable())
        let dNN = lattice.nearestNeighbourDistanceBohr
        let envs = try cluster.environments(cutoffBohr: cfg.rCut * dNN)
        let first = try d.describe(envs[0], embedding: embedding, lengthScaleBohr: dNN)
        let nLM = lmCount(cfg.lMax)
        for env in envs {
            let s = try d.describe(env, embedding: embedding, lengthScaleBohr: dNN)
            #expect(s.density[(cfg.nMax * nLM)...].allSatisfy { $0 == 0 })
            #expect(maxAbsDifference(s.invariants, first.invariants) < 1e-12)
        }
    }

    /// Host descriptor values and clear errors for unknown features and missing extra data.
    @Test func hostDescriptorAndErrors() throws {
        let lattice = try CrystalLattice(.fcc, latticeConstantBohr: 6.82)
        let hostDescriptor = HostDescriptor(lattice: lattice, host: element("Cu"))
        let v = try hostDescriptor.values(elementFeatures: ["valenceElectrons", "Z"], provider: ElementFeatureTable())
        #expect(v.count == HostDescriptor.names(elementFeatures: ["valenceElectrons", "Z"]).count)
        #expect(v == [0, 6.82, 11, 29])
        #expect(abs(hostDescriptor.nearestNeighbourDistanceBohr - 6.82 / 2.0.squareRoot()) < 1e-12)
        let bcc = HostDescriptor(lattice: try CrystalLattice(.bcc, latticeConstantBohr: 5.42), host: element("Fe"))
        #expect(try bcc.values(elementFeatures: [], provider: ElementFeatureTable()) == [1, 5.42])
        #expect(abs(bcc.nearestNeighbourDistanceBohr - 5.42 * 3.0.squareRoot() / 2) < 1e-12)

        #expect(throws: DescriptorError.unknownFeature(name: "orbitalEnergy4s", available: Element.propertyNames)) {
            try SpeciesEmbedding(channels: [.constant, .relative("orbitalEnergy4s")], host: element("Cu"),
                                 provider: ElementFeatureTable())
        }
        let table = try ElementFeatureTable(extraNames: ["e4s"], extraValues: ["Cu": [-0.4], "fe": [-0.35]])
        #expect(try table.value("e4s", of: element("Fe")) == -0.35)
        let emb = try SpeciesEmbedding(channels: [.constant, .relative("e4s", scale: 0.1)], host: element("Cu"), provider: table)
        let g = try emb.values(of: element("Fe"))
        #expect(abs(g[1] - 0.5) < 1e-12)
        do {
            _ = try emb.values(of: element("Ag"))
            Issue.record("expected missing-feature error")
        } catch let e as DescriptorError {
            #expect(e.description.contains("Ag") && e.description.contains("e4s"))
        }
        #expect(throws: DescriptorError.self) { try ElementFeatureTable(extraNames: ["x"], extraValues: ["Xx": [1]]) }
        #expect(throws: DescriptorError.self) { try ElementFeatureTable(extraNames: ["x", "y"], extraValues: ["Fe": [1]]) }
        #expect(throws: DescriptorError.self) {
            try JacobiLegendreConfiguration(alpha: 0, beta: 0, nMax: 2, lMax: 2, lOutMax: 5, rMin: 0, rCut: 2,
                                            lengthUnit: .bohr, channels: [.constant])
        }
    }
}
