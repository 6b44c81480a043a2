import Foundation
import Testing
@testable import ExchangeCorrelation

@Suite struct LDATests {
    /// For n↑ = n↓ = n/2 the polarised evaluation must equal the unpolarised one (both functionals).
    @Test func polarisedEqualsUnpolarisedAtZeroMagnetisation() throws {
        for f in XCFunctional.allCases {
            let u = try LDAEvaluator(f, spinPolarized: false)
            let p = try LDAEvaluator(f, spinPolarized: true)
            let n: [Double] = [1e-6, 1e-3, 0.1, 1, 10, 1e3]
            let ru = try u.evaluate(density: n)
            let rp = try p.evaluate(up: n.map { $0 / 2 }, down: n.map { $0 / 2 })
            for i in 0..<n.count {
                #expect(abs(ru.energyPerElectronRy[i] - rp.energyPerElectronRy[i]) < 1e-12 * max(1, abs(ru.energyPerElectronRy[i])))
                #expect(abs(ru.potentialUpRy[i] - rp.potentialUpRy[i]) < 1e-12 * max(1, abs(ru.potentialUpRy[i])))
                #expect(abs(rp.potentialUpRy[i] - rp.potentialDownRy[i]) < 1e-12 * max(1, abs(rp.potentialUpRy[i])))
            }
        }
    }

    /// Independent closed forms (Hartree): Slater exchange −(3/4)(3/π)^{1/3} n^{1/3} and the VWN5
    /// paramagnetic correlation (VWN 1980, eq. 4.4 with A = 0.0310907, b = 3.72744, c = 12.9352,
    /// x0 = −0.10498; A in Hartree for r_s-form). Compared in Ry (×2) to 1e-9.
    @Test func vwnClosedForm() throws {
        let ev = try LDAEvaluator(.vwn, spinPolarized: false)
        let ns: [Double] = [1e-3, 0.05, 0.5, 2, 40]
        let r = try ev.evaluate(density: ns)
        for (i, n) in ns.enumerated() {
            let ex = -0.75 * pow(3 / Double.pi, 1.0 / 3) * pow(n, 1.0 / 3)
            let rs = pow(3 / (4 * Double.pi * n), 1.0 / 3)
            let x = rs.squareRoot()
            let (A, b, c, x0) = (0.0310907, 3.72744, 12.9352, -0.10498)
            let X: (Double) -> Double = { $0 * $0 + b * $0 + c }
            let Q = (4 * c - b * b).squareRoot()
            let t1 = log(x * x / X(x)) + 2 * b / Q * atan(Q / (2 * x + b))
            let t2 = b * x0 / X(x0) * (log((x - x0) * (x - x0) / X(x)) + 2 * (b + 2 * x0) / Q * atan(Q / (2 * x + b)))
            let ec = A * (t1 - t2)
            #expect(abs(r.energyPerElectronRy[i] - 2 * (ex + ec)) < 1e-9, "n = \(n)")
        }
    }

    /// v_xc = d(n ε_xc)/dn by central finite differences, both functionals, both spins.
    @Test func potentialIsDerivativeOfEnergy() throws {
        for f in XCFunctional.allCases {
            let p = try LDAEvaluator(f, spinPolarized: true)
            let (nu, nd) = (0.3, 0.12)
            let h = 1e-6
            let base = try p.evaluate(up: [nu], down: [nd])
            let plus = try p.evaluate(up: [nu + h], down: [nd]), minus = try p.evaluate(up: [nu - h], down: [nd])
            let fd = ((nu + h + nd) * plus.energyPerElectronRy[0] - (nu - h + nd) * minus.energyPerElectronRy[0]) / (2 * h)
            #expect(abs(base.potentialUpRy[0] - fd) < 1e-7)
            let plusD = try p.evaluate(up: [nu], down: [nd + h]), minusD = try p.evaluate(up: [nu], down: [nd - h])
            let fdD = ((nu + nd + h) * plusD.energyPerElectronRy[0] - (nu + nd - h) * minusD.energyPerElectronRy[0]) / (2 * h)
            #expect(abs(base.potentialDownRy[0] - fdD) < 1e-7)
            // the majority spin sees the deeper potential
            #expect(base.potentialUpRy[0] < base.potentialDownRy[0])
        }
    }

    @Test func thresholdAndErrors() throws {
        let ev = try LDAEvaluator(.pw92, spinPolarized: false)
        let r = try ev.evaluate(density: [0, 1e-20])
        #expect(r.potentialUpRy == [0, 0] && r.energyPerElectronRy == [0, 0])
        #expect(throws: XCError.self) { _ = try ev.evaluate(density: [-1]) }
    }
}
