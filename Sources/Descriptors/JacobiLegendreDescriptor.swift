import Foundation
import Elements
import KKRNumerics
import Lattice

/// Hyper-parameters of the atom-centred Jacobi–Legendre descriptors (docs/emulator.md §2).
public struct JacobiLegendreConfiguration: Sendable, Equatable {
    /// Unit of `rMin` and `rCut`.
    public enum LengthUnit: String, Sendable, Equatable, CaseIterable {
        /// bohr.
        case bohr
        /// The host's nearest-neighbour distance d_NN: the descriptors of ideal clusters are then
        /// the same for all hosts of one lattice type, and the lattice constant enters only through
        /// the host descriptor.
        case nearestNeighbourDistance
    }

    /// Jacobi parameters α, β > −1 (real; never rounded).
    public var alpha: Double
    public var beta: Double
    /// Radial functions n = 1…nMax.
    public var nMax: Int
    /// Angular momentum cut of the atomic-density expansion A_{c n l m}.
    public var lMax: Int
    /// Largest output angular momentum l_out of the equivariant features (≤ 2 lMax).
    public var lOutMax: Int
    public var rMin: Double
    public var rCut: Double
    public var lengthUnit: LengthUnit
    /// Species channels g_c; the first is usually `.constant`.
    public var channels: [SpeciesChannel]
    /// Whether the two-body (l-contracted and Gaunt-coupled) features are computed.
    public var includeTwoBody: Bool

    public init(alpha: Double, beta: Double, nMax: Int, lMax: Int, lOutMax: Int, rMin: Double, rCut: Double,
                lengthUnit: LengthUnit, channels: [SpeciesChannel], includeTwoBody: Bool = true) throws {
        self.alpha = alpha; self.beta = beta; self.nMax = nMax; self.lMax = lMax; self.lOutMax = lOutMax
        self.rMin = rMin; self.rCut = rCut; self.lengthUnit = lengthUnit; self.channels = channels
        self.includeTwoBody = includeTwoBody
        try validate()
    }

    /// Defaults for cubic hosts: α = β = 0.5, nMax = 3, lMax = 4, lOutMax = 4, r_min = 0.5 d_NN,
    /// r_cut = 2.2 d_NN (fcc: 4 shells, 54 neighbours; bcc: 5 shells, 58 neighbours), channels
    /// [1, Δvalence/2, Δperiod] (relative to the host).
    public static func standard() -> JacobiLegendreConfiguration {
        // Valid by construction.
        try! JacobiLegendreConfiguration(
            alpha: 0.5, beta: 0.5, nMax: 3, lMax: 4, lOutMax: 4, rMin: 0.5, rCut: 2.2,
            lengthUnit: .nearestNeighbourDistance,
            channels: [.constant, try! .relative("valenceElectrons", scale: 2), try! .relative("period", scale: 1)])
    }

    public func validate() throws {
        guard lMax >= 0, lMax <= 12 else { throw DescriptorError.invalidParameter("lMax must be in 0…12; got \(lMax)") }
        guard lOutMax >= 0, lOutMax <= 2 * lMax else {
            throw DescriptorError.invalidParameter("lOutMax must be in 0…2·lMax = \(2 * lMax); got \(lOutMax)")
        }
        guard !channels.isEmpty else { throw DescriptorError.invalidParameter("at least one species channel is needed") }
        guard Set(channels).count == channels.count else {
            throw DescriptorError.invalidParameter("species channels repeat: \(channels)")
        }
        _ = try JacobiRadialBasis(alpha: alpha, beta: beta, nMax: nMax, rMin: rMin, rCut: rCut)
    }

    /// Number of radial–channel functions K = C · nMax (index a = c · nMax + n − 1).
    public var radialChannelCount: Int { channels.count * nMax }
}

/// The descriptors of one site (docs/emulator.md §2). Index a = c · nMax + (n − 1) runs over
/// species channels c and radial functions n; lm = l(l+1)+m (`KKRNumerics.lmIndex`).
public struct SiteDescriptor: Sendable, Equatable {
    /// A_{a, lm} = Σ_i g_c(e_i) P̃_n(x_i) Y_lm(r̂_i), stored at a · (lMax+1)² + lm.
    public let density: [Double]
    /// g_c(centre) for all channels (the constant channel included).
    public let centreChannels: [Double]
    /// Rotation-invariant features: one-body A_{a,00} (K values), then two-body
    /// Σ_m A_{a,lm} A_{b,lm} for l = 0…lMax, a ≤ b.
    public let invariants: [Double]
    /// Equivariant features for l_out = 1…lOutMax: `equivariant[l_out - 1]` holds F_j^{l_out}(m)
    /// at j · (2 l_out + 1) + (m + l_out). Each F_j transforms like Y_{l_out m}:
    /// F_j(R env) = D^{l_out}(R) F_j(env). (l_out = 0 has no entry: its features are `invariants`.)
    public let equivariant: [[Double]]

    /// F_j^{l}(m), m = −l…l, for l ≥ 1.
    public func equivariantFeature(l: Int, index j: Int) -> ArraySlice<Double> {
        let w = 2 * l + 1
        return equivariant[l - 1][(j * w)..<((j + 1) * w)]
    }
}

/// Atom-centred, equivariant Jacobi–Legendre descriptors: the JLCDM construction of Focassio
/// et al., npj Comput. Mater. 9, 87 (2023), doi:10.1038/s41524-023-01053-0, adapted from grid
/// points to atoms (../shared/notes/emulator-model.md, item 2).
///
/// Atomic density coefficients (r_i, r̂_i = distance and direction of neighbour i, in
/// `lengthUnit`; g_c the species channels; P̃_n the cut-off Jacobi functions of
/// `JacobiRadialBasis`; Y_lm the JuKKR real harmonics):
///
///     A_{c n l m} = Σ_i g_c(e_i) P̃_n(x(r_i)) Y_lm(r̂_i)
///
/// One-body invariants: A_{a 0 0} = (4π)^{−1/2} Σ_i g_c P̃_n (JLCDM one-body term up to the
/// constant Y_00).
///
/// Two-body invariants (the JLCDM two-body term, through the addition theorem
/// P_l(cos θ_ij) = 4π/(2l+1) Σ_m Y_lm(r̂_i) Y_lm(r̂_j), DLMF 14.30.9):
///
///     B_{ab l} = Σ_m A_{a l m} A_{b l m} = (2l+1)/(4π) Σ_{i,j} g_a(i) P̃_a(x_i) g_b(j) P̃_b(x_j) P_l(cos θ_ij),
///
/// a ≤ b, including the i = j terms.
///
/// Equivariant features for l_out ≥ 1 (transform like Y_{l_out m}):
/// - one-body: A_{a, l_out, m} (for l_out ≤ lMax);
/// - two-body: T_{(a l1)(b l2)}^{l_out m} = Σ_{m1 m2} C(L_out; L1, L2) A_{a L1} A_{b L2} with the
///   real Gaunt coefficients C = ∫ Y_L Y_L1 Y_L2 dΩ (`GauntTable`), for l1 ≤ l2 ≤ lMax,
///   |l1 − l2| ≤ l_out ≤ l1 + l2, l1 + l2 + l_out even, and a ≤ b when l1 = l2 (the other
///   order gives the same feature). C is invariant under every orthogonal R
///   (C = Σ D D D C), so T rotates with D^{l_out}(R) for proper and improper rotations.
///
/// A model is equivariant if the weights of these features depend on l_out (and on j, the
/// radial target index, the output channel) but never on m.
public struct JacobiLegendreDescriptor: Sendable {
    public let configuration: JacobiLegendreConfiguration
    public let radialBasis: JacobiRadialBasis

    /// One Gaunt-coupled block (l_out; l1, l2) with its non-zero coefficients C(L_out; L1, L2),
    /// stored as parallel arrays (lm1, lm2, m_out + l_out, C).
    struct CouplingBlock: Sendable {
        let lOut: Int, l1: Int, l2: Int
        let lm1: [Int], lm2: [Int], mOut: [Int], coefficient: [Double]
    }
    /// blocks[l_out] for l_out = 0…lOutMax (index 0 unused).
    let blocks: [[CouplingBlock]]

    public init(configuration: JacobiLegendreConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        radialBasis = try JacobiRadialBasis(alpha: configuration.alpha, beta: configuration.beta, nMax: configuration.nMax,
                                            rMin: configuration.rMin, rCut: configuration.rCut)
        let lMax = configuration.lMax, lOutMax = configuration.lOutMax
        var blocks = [[CouplingBlock]](repeating: [], count: lOutMax + 1)
        if configuration.includeTwoBody && lOutMax >= 1 {
            let gaunt = GauntTable(lmax1: lMax, lmax2: lMax, lmax3: max(lOutMax, 2 * lMax))
            for lOut in 1...lOutMax {
                for l1 in 0...lMax {
                    for l2 in l1...lMax where abs(l1 - l2) <= lOut && lOut <= l1 + l2 && (l1 + l2 + lOut) % 2 == 0 {
                        var lm1s: [Int] = [], lm2s: [Int] = [], mOuts: [Int] = [], values: [Double] = []
                        for m1 in -l1...l1 {
                            for m2 in -l2...l2 {
                                let lm1 = lmIndex(l1, m1), lm2 = lmIndex(l2, m2)
                                for e in gaunt.nonZero(lm1, lm2) {
                                    let (l3, m3) = lmPair(e.lm3)
                                    if l3 == lOut {
                                        lm1s.append(lm1); lm2s.append(lm2); mOuts.append(m3 + lOut); values.append(e.value)
                                    }
                                }
                            }
                        }
                        if !values.isEmpty {
                            blocks[lOut].append(CouplingBlock(lOut: lOut, l1: l1, l2: l2, lm1: lm1s, lm2: lm2s, mOut: mOuts,
                                                              coefficient: values))
                        }
                    }
                }
            }
        }
        self.blocks = blocks
    }

    var lmTotal: Int { lmCount(configuration.lMax) }
    var radialChannelCount: Int { configuration.radialChannelCount }

    // MARK: Layout

    /// Number of invariant features: K one-body + (lMax+1) K(K+1)/2 two-body.
    public var invariantCount: Int {
        let k = radialChannelCount
        return k + (configuration.includeTwoBody ? (configuration.lMax + 1) * k * (k + 1) / 2 : 0)
    }

    /// Number of equivariant features (each a (2l+1)-vector) for output angular momentum l ≥ 1.
    public func equivariantCount(l: Int) -> Int {
        precondition(l >= 1 && l <= configuration.lOutMax)
        let k = radialChannelCount
        var n = l <= configuration.lMax ? k : 0
        for b in blocks[l] { n += b.l1 == b.l2 ? k * (k + 1) / 2 : k * k }
        return n
    }

    /// Human-readable labels of the invariant features ("A[c=1,n=2]", "B[l=2;c0n1,c1n3]").
    public var invariantLabels: [String] {
        var out = (0..<radialChannelCount).map { "A[\(label(a: $0))]" }
        if configuration.includeTwoBody {
            for l in 0...configuration.lMax {
                for a in 0..<radialChannelCount {
                    for b in a..<radialChannelCount { out.append("B[l=\(l);\(label(a: a)),\(label(a: b))]") }
                }
            }
        }
        return out
    }

    /// Labels of the equivariant features of output angular momentum l.
    public func equivariantLabels(l: Int) -> [String] {
        let k = radialChannelCount
        var out: [String] = []
        if l <= configuration.lMax { out += (0..<k).map { "A[\(label(a: $0));l=\(l)]" } }
        for blk in blocks[l] {
            for a in 0..<k {
                for b in (blk.l1 == blk.l2 ? a : 0)..<k {
                    out.append("T[l=\(l);\(label(a: a)),l1=\(blk.l1);\(label(a: b)),l2=\(blk.l2)]")
                }
            }
        }
        return out
    }

    private func label(a: Int) -> String {
        "c\(a / configuration.nMax)n\(a % configuration.nMax + 1)"
    }

    // MARK: Evaluation

    /// The length (bohr) that distances are divided by: 1, or d_NN of the host.
    public func lengthScaleBohr(nearestNeighbourDistanceBohr dNN: Double) -> Double {
        configuration.lengthUnit == .bohr ? 1 : dNN
    }

    /// A_{a,lm} of an environment (flat, a · (lMax+1)² + lm). Distances are divided by
    /// `lengthScaleBohr` before the cutoff map.
    public func density(of environment: AtomicEnvironment, embedding: SpeciesEmbedding,
                        lengthScaleBohr scale: Double) throws -> [Double] {
        let nLM = lmTotal, nMax = configuration.nMax, channelCount = configuration.channels.count
        var out = [Double](repeating: 0, count: radialChannelCount * nLM)
        var radial = [Double](repeating: 0, count: nMax)
        var work: [Double] = []
        var ylm = [Double](repeating: 0, count: nLM)
        var cache: [Int: [Double]] = [:]
        for nb in environment.neighbours {
            let p = nb.positionBohr / scale
            let r = length(p)
            if r >= radialBasis.rCut { continue }
            guard r > 0 else {
                throw DescriptorError.invalidInput("a neighbour of \(environment.centre.symbol) sits on the centre (r = 0)")
            }
            let g: [Double]
            if let cached = cache[nb.element.atomicNumber] { g = cached } else {
                g = try embedding.values(of: nb.element)
                cache[nb.element.atomicNumber] = g
            }
            radialBasis.values(atDistance: r, into: &radial, work: &work)
            RealSphericalHarmonics.values(lmax: configuration.lMax, x: p.x, y: p.y, z: p.z, into: &ylm)
            for c in 0..<channelCount where g[c] != 0 {
                for n in 0..<nMax {
                    let w = g[c] * radial[n]
                    let base = (c * nMax + n) * nLM
                    for lm in 0..<nLM { out[base + lm] += w * ylm[lm] }
                }
            }
        }
        return out
    }

    /// All descriptors of a site.
    public func describe(_ environment: AtomicEnvironment, embedding: SpeciesEmbedding,
                         lengthScaleBohr scale: Double) throws -> SiteDescriptor {
        guard embedding.channels == configuration.channels else {
            throw DescriptorError.invalidInput("species embedding channels \(embedding.channels) differ from the "
                + "descriptor configuration's \(configuration.channels)")
        }
        let a = try density(of: environment, embedding: embedding, lengthScaleBohr: scale)
        let centre = try embedding.values(of: environment.centre)
        return SiteDescriptor(density: a, centreChannels: centre, invariants: invariants(density: a),
                              equivariant: (0..<configuration.lOutMax).map { equivariant(density: a, l: $0 + 1) })
    }

    /// One-body A_{a,00} and two-body Σ_m A_{a,lm} A_{b,lm} (a ≤ b) from the density.
    public func invariants(density a: [Double]) -> [Double] {
        let k = radialChannelCount, nLM = lmTotal
        var out = [Double]()
        out.reserveCapacity(invariantCount)
        for i in 0..<k { out.append(a[i * nLM]) }
        guard configuration.includeTwoBody else { return out }
        for l in 0...configuration.lMax {
            let lo = l * l, hi = (l + 1) * (l + 1)
            for i in 0..<k {
                for j in i..<k {
                    var s = 0.0
                    for lm in lo..<hi { s += a[i * nLM + lm] * a[j * nLM + lm] }
                    out.append(s)
                }
            }
        }
        return out
    }

    /// Equivariant features of output angular momentum l ≥ 1 (layout of `SiteDescriptor.equivariant`).
    public func equivariant(density a: [Double], l: Int) -> [Double] {
        let k = radialChannelCount, nLM = lmTotal, w = 2 * l + 1
        var out = [Double]()
        out.reserveCapacity(equivariantCount(l: l) * w)
        if l <= configuration.lMax {
            for i in 0..<k { for m in 0..<w { out.append(a[i * nLM + l * l + m]) } }
        }
        var t = [Double](repeating: 0, count: w)
        // Hot loop (≈10⁵ terms per site): raw buffers avoid per-access checks in debug builds.
        a.withUnsafeBufferPointer { ap in
            for blk in blocks[l] {
                blk.lm1.withUnsafeBufferPointer { lm1 in
                    blk.lm2.withUnsafeBufferPointer { lm2 in
                        blk.mOut.withUnsafeBufferPointer { mo in
                            blk.coefficient.withUnsafeBufferPointer { c in
                                t.withUnsafeMutableBufferPointer { tp in
                                    for i in 0..<k {
                                        for j in (blk.l1 == blk.l2 ? i : 0)..<k {
                                            for m in 0..<w { tp[m] = 0 }
                                            let ai = i * nLM, aj = j * nLM
                                            for n in 0..<c.count { tp[mo[n]] += c[n] * ap[ai + lm1[n]] * ap[aj + lm2[n]] }
                                            out.append(contentsOf: tp)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
