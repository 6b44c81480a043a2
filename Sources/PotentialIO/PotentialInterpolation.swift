import Foundation

extension PotentialFile {
    /// Throws unless `a` and `b` describe the same sites on the same meshes: equal block count and
    /// NSPIN, every block valid, equal NR and IRNS+1 per block. The error names the block and file.
    /// With `sphericalOnlyAllowed`, a block without a non-spherical part (IRNS+1 = 0) matches any
    /// IRNS on the other side.
    static func requireSameMeshes(_ a: PotentialFile, _ b: PotentialFile, pathA: String, pathB: String,
                                  sphericalOnlyAllowed: Bool = false) throws(PotentialFileError) {
        guard a.blocks.count == b.blocks.count, a.spinCount == b.spinCount else {
            throw PotentialFileError(path: pathB, line: nil,
                                     message: "\(b.blocks.count) blocks (NSPIN \(b.spinCount)) versus \(a.blocks.count) (NSPIN \(a.spinCount)) in \(pathA): the files describe different systems")
        }
        for (i, (x, y)) in zip(a.blocks, b.blocks).enumerated() {
            for (blk, path) in [(x, pathA), (y, pathB)] {
                if let problem = blk.validationProblem() {
                    throw PotentialFileError(path: path, line: blk.source?.line, message: "block \(i + 1): \(problem)")
                }
            }
            let sameIRNS = x.nonSphericalPointCount == y.nonSphericalPointCount
                || (sphericalOnlyAllowed && (x.nonSphericalPointCount == 0 || y.nonSphericalPointCount == 0))
            guard x.radialPointCount == y.radialPointCount, sameIRNS else {
                throw PotentialFileError(path: pathB, line: y.source?.line,
                                         message: "block \(i + 1): NR/IRNS+1 = \(y.radialPointCount)/\(y.nonSphericalPointCount) versus \(x.radialPointCount)/\(x.nonSphericalPointCount) in \(pathA); the meshes differ (re-mesh first)")
            }
        }
    }

    /// The potential V_A + t (V_B − V_A), block by block: vm2z and every lm component (a component
    /// missing from one file counts as zero there). Headers, core levels and line styles are A's;
    /// if A is spherical only (no IRNS part, e.g. a restart file), so is the result and B's lm
    /// components are dropped.
    /// t = 0 gives A, t = 1 gives B's values; t outside [0, 1] extrapolates. Used to place a start
    /// at a chosen distance from a converged potential (docs/results/benchmark: iterations against
    /// start error). Both files must hold the same sites (same Z) on the same meshes.
    public static func interpolating(from a: PotentialFile, to b: PotentialFile, fraction t: Double,
                                     pathA: String = "A", pathB: String = "B") throws(PotentialFileError) -> PotentialFile {
        try requireSameMeshes(a, b, pathA: pathA, pathB: pathB, sphericalOnlyAllowed: true)
        var blocks: [PotentialBlock] = []
        for (i, (x, y)) in zip(a.blocks, b.blocks).enumerated() {
            guard x.nuclearCharge == y.nuclearCharge else {
                throw PotentialFileError(path: pathB, line: y.source?.line,
                                         message: "block \(i + 1): Z = \(y.nuclearCharge) versus \(x.nuclearCharge) in \(pathA); interpolate potentials of the same system only")
            }
            var z = x
            z.vm2zRy = zip(x.vm2zRy, y.vm2zRy).map { $0 + t * ($1 - $0) }
            // B's lm components count only on A's IRNS points (a spherical-only A stays spherical).
            let n = x.nonSphericalPointCount
            let yComponents = y.nonSphericalPointCount == n ? y.nonSpherical : []
            let zeros = [Double](repeating: 0, count: n)
            let lms = Set(x.nonSpherical.map(\.lm)).union(yComponents.map(\.lm)).sorted()
            z.nonSpherical = lms.map { lm in
                let ca = x.nonSpherical.first { $0.lm == lm }, cb = yComponents.first { $0.lm == lm }
                var c = (ca ?? cb)!
                c.valuesRy = zip(ca?.valuesRy ?? zeros, cb?.valuesRy ?? zeros).map { $0 + t * ($1 - $0) }
                return c
            }
            blocks.append(z)
        }
        return try PotentialFile(blocks: blocks, spinCount: a.spinCount)
    }
}
