import CXC

/// Local (spin) density approximation functionals, evaluated with libxc
/// (S. Lehtola et al., SoftwareX 7, 1 (2018), doi:10.1016/j.softx.2017.11.002).
///
/// Both are Slater exchange (`XC_LDA_X`, id 1) plus a parametrisation of the Ceperley–Alder
/// correlation energy of the homogeneous electron gas:
/// * `.vwn`: Vosko–Wilk–Nusair (`XC_LDA_C_VWN`, id 7, the "VWN5" fit), Can. J. Phys. 58, 1200
///   (1980), doi:10.1139/p80-159 — used by the NIST atomic tables and JuKKR's default (KEXCOR 2).
/// * `.pw92`: Perdew–Wang (`XC_LDA_C_PW`, id 12), Phys. Rev. B 45, 13244 (1992),
///   doi:10.1103/PhysRevB.45.13244.
public enum XCFunctional: String, Sendable, CaseIterable, Codable {
    case vwn
    case pw92

    var correlationID: Int32 { self == .vwn ? 7 : 12 }

    /// Label written to potential files ("exc:" field), as JuKKR names them.
    public var jukkrName: String { self == .vwn ? "Vosko,Wilk,Nusair" : "Perdew,Wang" }
}

/// Errors of the XC layer.
public enum XCError: Error, CustomStringConvertible {
    case initialisationFailed(Int32)
    case negativeDensity(index: Int, value: Double)

    public var description: String {
        switch self {
        case .initialisationFailed(let id): return "libxc could not initialise functional id \(id)"
        case .negativeDensity(let i, let v): return "negative electron density \(v) at point \(i)"
        }
    }
}

/// Exchange–correlation energy density and potential on a set of points, in **Rydberg**.
public struct XCResult: Sendable {
    /// ε_xc per electron (Ry); E_xc = ∫ n ε_xc d³r.
    public var energyPerElectronRy: [Double]
    /// v_xc for spin up (or the unpolarised v_xc) in Ry.
    public var potentialUpRy: [Double]
    /// v_xc for spin down (equal to up in an unpolarised evaluation) in Ry.
    public var potentialDownRy: [Double]
}

/// A libxc LDA evaluator (exchange + correlation). libxc works in Hartree units: energies and
/// potentials are multiplied by 2 for Rydberg (`../shared/KKR_NOTES.md` §7.3). Densities are
/// electron number densities in bohr⁻³ (no conversion). Points with total density below
/// `densityThreshold` get ε = v = 0.
public final class LDAEvaluator: @unchecked Sendable {
    public let functional: XCFunctional
    public let spinPolarized: Bool
    public let densityThreshold: Double

    private var exchange = xc_func_type()
    private var correlation = xc_func_type()

    /// `@unchecked Sendable`: the libxc function objects are only read after initialisation;
    /// libxc evaluation does not mutate them.
    public init(_ functional: XCFunctional, spinPolarized: Bool, densityThreshold: Double = 1e-15) throws {
        self.functional = functional
        self.spinPolarized = spinPolarized
        self.densityThreshold = densityThreshold
        let pol: Int32 = spinPolarized ? 2 : 1   // XC_POLARIZED = 2, XC_UNPOLARIZED = 1
        guard xc_func_init(&exchange, 1, pol) == 0 else { throw XCError.initialisationFailed(1) }
        guard xc_func_init(&correlation, functional.correlationID, pol) == 0 else {
            xc_func_end(&exchange)
            throw XCError.initialisationFailed(functional.correlationID)
        }
    }

    deinit {
        xc_func_end(&exchange)
        xc_func_end(&correlation)
    }

    /// Unpolarised evaluation for the total density n.
    public func evaluate(density n: [Double]) throws -> XCResult {
        precondition(!spinPolarized, "this evaluator is spin polarised: use evaluate(up:down:)")
        let np = n.count
        var rho = n
        for i in 0..<np {
            if rho[i] < -1e-12 { throw XCError.negativeDensity(index: i, value: rho[i]) }
            if rho[i] < densityThreshold { rho[i] = 0 }
        }
        var zx = [Double](repeating: 0, count: np), vx = [Double](repeating: 0, count: np)
        var zc = [Double](repeating: 0, count: np), vc = [Double](repeating: 0, count: np)
        if np > 0 {
            xc_lda_exc_vxc(&exchange, np, rho, &zx, &vx)
            xc_lda_exc_vxc(&correlation, np, rho, &zc, &vc)
        }
        var e = [Double](repeating: 0, count: np), v = [Double](repeating: 0, count: np)
        for i in 0..<np where rho[i] > 0 {
            e[i] = 2 * (zx[i] + zc[i])
            v[i] = 2 * (vx[i] + vc[i])
        }
        return XCResult(energyPerElectronRy: e, potentialUpRy: v, potentialDownRy: v)
    }

    /// Spin-polarised evaluation for (n↑, n↓).
    public func evaluate(up: [Double], down: [Double]) throws -> XCResult {
        precondition(spinPolarized, "this evaluator is unpolarised: use evaluate(density:)")
        precondition(up.count == down.count)
        let np = up.count
        var rho = [Double](repeating: 0, count: 2 * np)
        for i in 0..<np {
            if up[i] < -1e-12 { throw XCError.negativeDensity(index: i, value: up[i]) }
            if down[i] < -1e-12 { throw XCError.negativeDensity(index: i, value: down[i]) }
            let u = max(up[i], 0), d = max(down[i], 0)
            if u + d >= densityThreshold { rho[2 * i] = u; rho[2 * i + 1] = d }
        }
        var zx = [Double](repeating: 0, count: np), vx = [Double](repeating: 0, count: 2 * np)
        var zc = [Double](repeating: 0, count: np), vc = [Double](repeating: 0, count: 2 * np)
        if np > 0 {
            xc_lda_exc_vxc(&exchange, np, rho, &zx, &vx)
            xc_lda_exc_vxc(&correlation, np, rho, &zc, &vc)
        }
        var e = [Double](repeating: 0, count: np)
        var vu = [Double](repeating: 0, count: np), vd = [Double](repeating: 0, count: np)
        for i in 0..<np where rho[2 * i] + rho[2 * i + 1] > 0 {
            e[i] = 2 * (zx[i] + zc[i])
            vu[i] = 2 * (vx[2 * i] + vc[2 * i])
            vd[i] = 2 * (vx[2 * i + 1] + vc[2 * i + 1])
        }
        return XCResult(energyPerElectronRy: e, potentialUpRy: vu, potentialDownRy: vd)
    }
}
