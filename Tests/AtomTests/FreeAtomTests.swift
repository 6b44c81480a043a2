import Elements
import Foundation
import Radial
import Testing
@testable import Atom

/// Internal consistency of the free-atom solver (no reference numbers needed: every check is an
/// identity that holds at self-consistency).
@Suite struct FreeAtomTests {
    static let iron: AtomResult = try! FreeAtom.solve(PeriodicTable.element(symbol: "Fe"))
    static let ironSpin: AtomResult = {
        var s = AtomSettings()
        s.spinPolarized = true
        return try! FreeAtom.solve(PeriodicTable.element(symbol: "Fe"), settings: s)
    }()

    /// At self-consistency the variational Kohn–Sham energy (input potential) and the
    /// double-counting form (output potential) agree; measured |Δ| ≈ 1e-9 Ry.
    @Test func energyFormsAgree() {
        for r in [Self.iron, Self.ironSpin] {
            let d = abs(r.energies.totalRy - r.energies.doubleCountingTotalRy)
            #expect(d < 1e-7, "\(r.element.symbol): |E − E_dc| = \(d) Ry")
            print("\(r.element.symbol) (\(r.channels.count) channel(s)): |E_tot − E_dc| = \(d) Ry")
        }
    }

    /// Neutrality: ∫ σ dr = Z (all states decay inside the 50-bohr mesh).
    @Test func chargeIsConserved() {
        for r in [Self.iron, Self.ironSpin] {
            var q = 0.0
            for sigma in r.radialDensities { q += r.mesh.integrate(sigma) }
            #expect(abs(q - 26) < 1e-9, "charge \(q)")
            // densities and radial densities are consistent
            let i = r.mesh.count / 3
            #expect(abs(r.densities[0][i] * 4 * Double.pi * r.mesh.r[i] * r.mesh.r[i] - r.radialDensities[0][i]) < 1e-12 * r.radialDensities[0][i] + 1e-300)
        }
    }

    /// Non-relativistic kinetic energy two ways: the eigenvalue form Σ f ε − ∫ V σ (used in
    /// E_tot) and directly from the orbitals, T = Σ f ∫ [P'² + l(l+1) P²/r²] dr with
    /// P' = Q + P/r. Agreement to 1e-6 Ry for Fe (E_kin ≈ 2523 Ry).
    @Test func kineticEnergyTwoWays() {
        let r = Self.iron
        let mesh = r.mesh
        var direct = 0.0
        for (k, o) in r.orbitals.enumerated() where o.occupation > 0 {
            let p = r.largeComponents[k], q = r.smallComponents[k]
            let ll = Double(o.l * (o.l + 1))
            var f = [Double](repeating: 0, count: mesh.count)
            for i in 1..<mesh.count {
                let dp = q[i] + p[i] / mesh.r[i]
                f[i] = dp * dp + ll * p[i] * p[i] / (mesh.r[i] * mesh.r[i])
            }
            f[0] = 4 * f[1] - 6 * f[2] + 4 * f[3] - f[4]   // cubic extrapolation to r = 0
            direct += o.occupation * mesh.integrate(f)
        }
        #expect(abs(direct - r.energies.kineticRy) < 1e-6, "direct \(direct) vs eigenvalue form \(r.energies.kineticRy)")
        print("Fe kinetic energy: direct \(direct) Ry, eigenvalue form \(r.energies.kineticRy) Ry")
    }

    /// LSDA with Hund's-rule occupations: Fe 3d⁶ 4s² → 3d 5↑ 1↓, moment 4 μB; ∫(σ↑ − σ↓) dr = 4;
    /// majority levels lie below minority ones; LSDA energy below LDA.
    @Test func ironSpinPolarised() {
        let r = Self.ironSpin
        #expect(r.channels == [.up, .down])
        #expect(r.magneticMoment == 4)
        let m = r.mesh.integrate(r.radialDensities[0]) - r.mesh.integrate(r.radialDensities[1])
        #expect(abs(m - 4) < 1e-9)
        for (n, l) in [(3, 2), (4, 0), (1, 0)] {
            let up = r.eigenvalueRy(n: n, l: l, channel: 0)!, down = r.eigenvalueRy(n: n, l: l, channel: 1)!
            #expect(up < down, "\(n)\(l): ε↑ \(up) ≥ ε↓ \(down)")
        }
        #expect(r.energies.totalRy < Self.iron.energies.totalRy)
    }

    /// Closed shells: LSDA equals LDA (Ne), to SCF precision.
    @Test func closedShellLSDAEqualsLDA() throws {
        let ne = try PeriodicTable.element(symbol: "Ne")
        var s = AtomSettings()
        let lda = try FreeAtom.solve(ne, settings: s)
        s.spinPolarized = true
        let lsd = try FreeAtom.solve(ne, settings: s)
        #expect(abs(lda.energies.totalRy - lsd.energies.totalRy) < 1e-9)
        #expect(abs(lda.eigenvalueRy(n: 2, l: 1)! - lsd.eigenvalueRy(n: 2, l: 1, channel: 1)!) < 1e-8)
    }

    /// Core/valence split of Fe at EMIN = −3 Ry: 1s 2s 2p 3s 3p are core (3p ≈ −6 Ry in the free
    /// atom), 3d and 4s valence; the features are finite and have the documented length.
    @Test func coreOrbitalsAndFeatures() {
        let core = Self.iron.coreOrbitals(below: -3)
        #expect(core.map(\.label) == ["1s", "2s", "2p", "3s", "3p"])
        #expect(core.reduce(0) { $0 + $1.occupation } == 18)
        #expect(Self.iron.valenceOrbitals(above: -3).map(\.label) == ["3d", "4s"])
        let f = Self.iron.features
        #expect(f.count == AtomResult.featureNames.count)
        #expect(f.allSatisfy { $0.isFinite })
        // outermost d: 3d of Fe is more compact than 4s
        #expect(f[5] < f[1])
    }

    /// Orbital radii: hydrogen-like limit. H 1s in LDA is slightly more diffuse than the exact
    /// hydrogen atom (⟨r⟩ = 1.5, maximum of P² at r = 1 bohr).
    @Test func orbitalRadii() throws {
        let h = try FreeAtom.solve(PeriodicTable.element(symbol: "H"))
        let o = h.orbitals[0]
        #expect(o.meanRadiusBohr > 1.5 && o.meanRadiusBohr < 2.0, "⟨r⟩ = \(o.meanRadiusBohr)")
        #expect(o.outermostMaximumBohr > 1.0 && o.outermostMaximumBohr < 1.5, "r_max = \(o.outermostMaximumBohr)")
    }

    /// A positive ion (Fe²⁺: 4s removed) holds Z − 2 electrons, and its levels are deeper.
    @Test func positiveIon() throws {
        let fe = try PeriodicTable.element(symbol: "Fe")
        let config = fe.configuration.filter { !($0.n == 4 && $0.l == 0) }
        let ion = try FreeAtom.solve(fe, configuration: config)
        var q = 0.0
        for sigma in ion.radialDensities { q += ion.mesh.integrate(sigma) }
        #expect(abs(q - 24) < 1e-9)
        #expect(ion.eigenvalueRy(n: 3, l: 2)! < Self.iron.eigenvalueRy(n: 3, l: 2)! - 1)
    }

    /// PW92 and VWN both fit Ceperley–Alder: total energies of He differ by less than 1e-3 Ha,
    /// but they do differ (the functional is really switched).
    @Test func functionalSwitch() throws {
        let he = try PeriodicTable.element(symbol: "He")
        var s = AtomSettings()
        let vwn = try FreeAtom.solve(he, settings: s)
        s.functional = .pw92
        let pw = try FreeAtom.solve(he, settings: s)
        let d = abs(vwn.energies.totalHa - pw.energies.totalHa)
        #expect(d > 1e-8 && d < 1e-3, "ΔE = \(d) Ha")
    }

    /// Hund's-rule spin occupations of open sub-shells.
    @Test func hundOccupations() throws {
        func occ(_ sym: String, _ label: String) throws -> [Double] {
            let e = try PeriodicTable.element(symbol: sym)
            return AtomOccupations.make(configuration: e.configuration, spinPolarized: true).first { $0.label == label }!.occupations
        }
        #expect(try occ("Fe", "3d") == [5, 1])
        #expect(try occ("Fe", "4s") == [1, 1])
        #expect(try occ("Cr", "4s") == [1, 0])
        #expect(try occ("Gd", "4f") == [7, 0])
        #expect(try occ("O", "2p") == [3, 1])
        #expect(AtomOccupations.moment(AtomOccupations.make(configuration: try PeriodicTable.element(symbol: "Cr").configuration,
                                                            spinPolarized: true)) == 6)
    }

    /// MacDonald–Vosko factors: the small-β series joins the closed form continuously
    /// (R − 1 ≈ −(2/3)β², S − 1 ≈ −β²), and the correction reduces |ε_x| (relativity weakens
    /// exchange at high density).
    @Test func relativisticExchange() {
        let c = SpeedOfLight.nistRy / 2
        // β = 1e-4 at n = (β c)³/(3π²)
        let n = pow(1e-4 * c, 3) / (3 * Double.pi * Double.pi)
        let a = AtomXC.macDonaldVoskoCorrection(density: n * (1 - 1e-9), speedOfLightHa: c)
        let b = AtomXC.macDonaldVoskoCorrection(density: n * (1 + 1e-9), speedOfLightHa: c)
        #expect(abs(a.de / b.de - 1) < 1e-6 && abs(a.dv / b.dv - 1) < 1e-6)
        let high = AtomXC.macDonaldVoskoCorrection(density: 1e6, speedOfLightHa: c)
        #expect(high.de > 0 && high.dv > 0)
    }
}
