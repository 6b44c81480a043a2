import Foundation

extension RadialMesh {
    /// Continuous mesh index x(r) with r = b (e^{a x} − 1), 0-based.
    public func fractionalIndex(of radius: Double) -> Double {
        log(radius / b + 1) / a
    }

    /// Value at `radius` of the function tabulated on this mesh, by 4-point Lagrange
    /// (cubic) interpolation in the mesh index, where an exponential mesh is uniform.
    /// Radii beyond r_max by more than 1e-10 relative throw; so does a non-finite radius.
    public func interpolate(_ f: [Double], at radius: Double) throws -> Double {
        guard f.count == count else { throw RadialMeshError.lengthMismatch(expected: count, found: f.count) }
        guard radius.isFinite, radius >= 0, radius <= rmax * (1 + 1e-10) else {
            throw RadialMeshError.outsideMesh(r: radius, rmax: rmax)
        }
        let x = min(fractionalIndex(of: radius), Double(count - 1))
        var i0 = Int(x.rounded(.down)) - 1
        i0 = max(0, min(i0, count - 4))
        let t = x - Double(i0)
        // Lagrange weights for nodes 0,1,2,3 at t
        let w0 = -(t - 1) * (t - 2) * (t - 3) / 6
        let w1 = t * (t - 2) * (t - 3) / 2
        let w2 = -t * (t - 1) * (t - 3) / 2
        let w3 = t * (t - 1) * (t - 2) / 6
        return w0 * f[i0] + w1 * f[i0 + 1] + w2 * f[i0 + 2] + w3 * f[i0 + 3]
    }

    /// Re-tabulates `f` (given on this mesh) on `target`. The target must not extend beyond
    /// this mesh (no extrapolation). For potentials interpolate r·V, not V, to avoid the
    /// −2Z/r singularity.
    public func interpolate(_ f: [Double], onto target: RadialMesh) throws -> [Double] {
        try target.r.map { try interpolate(f, at: $0) }
    }
}
