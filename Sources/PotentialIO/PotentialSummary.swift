import Elements

/// What `kkr-emulator potential inspect` shows: one entry per block. JSON keys are stable and
/// carry their unit; `site` is 1-based as in JuKKR.
public struct PotentialSummary: Codable, Equatable, Sendable {
    public struct Block: Codable, Equatable, Sendable {
        public var site: Int
        public var spin: String
        public var label: String
        public var nuclearCharge: Double
        public var element: String?
        public var fullPotential: Bool
        public var radialPoints: Int
        public var meshA: Double
        public var meshBBohr: Double
        /// IMT estimated from RMTNEW, A, B (full potentials only).
        public var muffinTinIndexEstimate: Int?
        public var nonSphericalPoints: Int
        public var lmpot: Int?
        /// LMAX = LPOT/2 with LPOT = √LMPOT − 1.
        public var lmax: Int?
        /// JuKKR lm indices (1-based) of the stored non-spherical components.
        public var lmComponents: [Int]
        public var fermiEnergyRy: Double
        public var vbcRy: Double
        public var latticeConstantBohr: Double
        public var muffinTinRadiusBohr: Double
        public var adaptedMuffinTinRadiusBohr: Double
        public var wignerSeitzRadiusBohr: Double
        public var exchangeCorrelation: String?
        public var coreStates: [CoreState]
        /// `POTENTIAL` in columns 6-14 (KKRimp's block test).
        public var kkrimpTitle: Bool
    }

    public var path: String
    public var spinCount: Int
    public var siteCount: Int
    public var blocks: [Block]

    public init(_ file: PotentialFile, path: String) {
        self.path = path
        spinCount = file.spinCount
        siteCount = file.siteCount
        blocks = file.blocks.enumerated().map { i, b in
            let lmpot = b.fullPotential?.lmpot
            let z = b.nuclearCharge
            let element: String? = (z >= 1 && z == z.rounded() && z <= 103)
                ? (try? PeriodicTable.element(atomicNumber: Int(z)))?.symbol : nil
            return Block(
                site: i / file.spinCount + 1,
                spin: "\(SpinChannel.of(ispin: i % file.spinCount + 1, spinCount: file.spinCount))",
                label: b.label, nuclearCharge: z, element: element, fullPotential: b.isFullPotential,
                radialPoints: b.radialPointCount, meshA: b.meshA, meshBBohr: b.meshBBohr,
                muffinTinIndexEstimate: b.isFullPotential ? SiteMesh.estimatedMuffinTinIndex(of: b) : nil,
                nonSphericalPoints: b.nonSphericalPointCount, lmpot: lmpot,
                lmax: lmpot.map { (Int(Double($0).squareRoot().rounded()) - 1) / 2 },
                lmComponents: b.nonSpherical.map(\.lm.jukkrIndex), fermiEnergyRy: b.fermiEnergyRy, vbcRy: b.vbcRy,
                latticeConstantBohr: b.latticeConstantBohr, muffinTinRadiusBohr: b.muffinTinRadiusBohr,
                adaptedMuffinTinRadiusBohr: b.adaptedMuffinTinRadiusBohr, wignerSeitzRadiusBohr: b.wignerSeitzRadiusBohr,
                exchangeCorrelation: b.exchangeCorrelationName, coreStates: CoreState.states(from: b.coreLevels),
                kkrimpTitle: PotentialTitle.isKKRimpCompatible(b.title))
        }
    }
}

/// What `kkr-emulator potential diff` shows: rms and max |ΔV| per site, spin and lm component.
public struct PotentialDifference: Codable, Equatable, Sendable {
    public struct Component: Codable, Equatable, Sendable {
        public var site: Int
        public var spin: String
        /// JuKKR lm (1 = the spherical vm2z; ≥ 2 the V_L).
        public var lm: Int
        public var l: Int
        public var m: Int
        /// Points compared: NR for lm = 1, IRNS+1 otherwise.
        public var points: Int
        /// sqrt(mean over the points of (V_B − V_A)²), unweighted.
        public var rmsDeltaVRy: Double
        public var maxAbsDeltaVRy: Double
        /// 1-based mesh index (within the block's NR points) of the largest |ΔV|.
        public var radialIndexOfMax: Int
        /// The component is stored in only one of the files (the other counts as zero).
        public var presentIn: String
    }

    public struct Header: Codable, Equatable, Sendable {
        public var site: Int
        public var spin: String
        public var nuclearChargeA: Double
        public var nuclearChargeB: Double
        public var fermiEnergyDeltaRy: Double
        public var vbcDeltaRy: Double
    }

    public var pathA: String
    public var pathB: String
    public var headers: [Header]
    public var components: [Component]
    public var maxAbsDeltaVRy: Double

    /// Compares two potentials on the same meshes (same block count, NR and IRNS per block).
    /// Throws with the block that differs otherwise (re-mesh first).
    public init(_ a: PotentialFile, _ b: PotentialFile, pathA: String, pathB: String) throws(PotentialFileError) {
        self.pathA = pathA
        self.pathB = pathB
        try PotentialFile.requireSameMeshes(a, b, pathA: pathA, pathB: pathB)
        var headers: [Header] = []
        var comps: [Component] = []
        for (i, (x, y)) in zip(a.blocks, b.blocks).enumerated() {
            let site = i / a.spinCount + 1
            let spin = "\(SpinChannel.of(ispin: i % a.spinCount + 1, spinCount: a.spinCount))"
            headers.append(Header(site: site, spin: spin, nuclearChargeA: x.nuclearCharge, nuclearChargeB: y.nuclearCharge,
                                  fermiEnergyDeltaRy: y.fermiEnergyRy - x.fermiEnergyRy, vbcDeltaRy: y.vbcRy - x.vbcRy))
            func add(_ lm: LMIndex, _ va: [Double]?, _ vb: [Double]?, offset: Int) {
                let n = (va ?? vb)!.count
                var sum = 0.0, mx = 0.0, at = 0
                for k in 0..<n {
                    let d = (vb?[k] ?? 0) - (va?[k] ?? 0)
                    sum += d * d
                    if abs(d) > mx { mx = abs(d); at = k }
                }
                comps.append(Component(site: site, spin: spin, lm: lm.jukkrIndex, l: lm.l, m: lm.m, points: n,
                                       rmsDeltaVRy: (sum / Double(max(n, 1))).squareRoot(), maxAbsDeltaVRy: mx,
                                       radialIndexOfMax: offset + at + 1,
                                       presentIn: va == nil ? "B" : (vb == nil ? "A" : "both")))
            }
            add(.spherical, x.vm2zRy, y.vm2zRy, offset: 0)
            let lms = Set(x.nonSpherical.map(\.lm)).union(y.nonSpherical.map(\.lm)).sorted()
            for lm in lms {
                add(lm, x.component(lm), y.component(lm), offset: x.radialPointCount - x.nonSphericalPointCount)
            }
        }
        self.headers = headers
        components = comps
        maxAbsDeltaVRy = comps.map(\.maxAbsDeltaVRy).max() ?? 0
    }
}
