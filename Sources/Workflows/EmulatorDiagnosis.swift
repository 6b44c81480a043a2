import Emulator
import Foundation

/// Error diagnosis of a cross-validation (`kkr-emulator train --diagnose`): what dominates the
/// held-out error of the model and of the atomic-superposition baseline — a constant potential
/// shift (charge transfer / Madelung term, expected ∝ the impurity's net charge), the radial
/// shape of the spherical part, the non-spherical part, or the magnetic part — and whether a few
/// records dominate. Uses the orthogonal decomposition `EmulatorErrorDecomposition`; the
/// converged net charge and moment are printed for diagnosis only (never model inputs).
public enum EmulatorDiagnosis {
    /// Text report: per-record table of one site class, sorted by the baseline error, then the
    /// squared-error budget per site class.
    public static func report(_ v: EmulatorValidationResult, records: [EmulatorPreparedRecord], shell: Int = 0) -> [String] {
        let byKey = Dictionary(records.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        lines.append("diagnosis, split \(v.split.kind.rawValue), \(shell == 0 ? "impurity site" : "shell \(shell)") "
            + "(Ry; error = prediction − truth; sh = volume-mean shift of the charge part, shp = its radial shape, "
            + "ns = non-spherical charge part, mag = magnetic total)")
        lines.append(String(format: "%-12@ %4@ %6@ %6@ | truth %7@ %6@ %6@ | baseline %7@ %6@ %6@ %6@ %6@ | model %7@ %6@ %6@ %6@ %6@",
                            "pair", "ΔZ", "q", "m", "sh", "shp", "mag", "sh", "shp", "ns", "mag", "tot", "sh", "shp", "ns", "mag", "tot"))
        let errors = v.siteErrors.filter { $0.shell == shell }
            .sorted { ($0.baseline?.total ?? $0.model.total) > ($1.baseline?.total ?? $1.model.total) }
        for e in errors {
            let r = byKey[e.key]
            let dz = r.map { $0.impurity.atomicNumber - $0.host.atomicNumber } ?? 0
            let t = e.truthParts, m = e.modelParts
            var line = String(format: "%-12@ %4d %+6.2f %6.2f | truth %+7.3f %6.3f %6.3f |", e.key as NSString, dz,
                              r?.impurityNetChargeElectrons ?? .nan, abs(r?.impurityMomentBohrMagneton ?? .nan),
                              t.shift[0], t.shape[0], t.total(.magnetic))
            if let b = e.baselineParts, let bt = e.baseline {
                line += String(format: " baseline %+7.3f %6.3f %6.3f %6.3f %6.3f |", b.shift[0], b.shape[0], b.nonSpherical[0],
                               b.total(.magnetic), bt.total)
            } else {
                line += " baseline       –      –      –      –      – |"
            }
            line += String(format: " model %+7.3f %6.3f %6.3f %6.3f %6.3f", m.shift[0], m.shape[0], m.nonSpherical[0],
                           m.total(.magnetic), e.model.total)
            lines.append(line)
        }
        lines += budget(errors, records: byKey)
        if shell > 0 { lines += dipoleAlignment(records, shell: shell) }
        return lines
    }

    /// Consistency of the stored non-spherical targets with the site geometry: on a neighbour
    /// site of a cubic host the l = 1 part of ΔV must point along the impurity direction (the
    /// site symmetry, C_2v in fcc and C_3v in bcc, leaves only that axis invariant). For each
    /// site, |cos| between the dipole moment d_m = ∫ ΔV_{1m}(r) r³ dr (charge part) and the
    /// largest one-body l = 1 descriptor vector (∝ Y_1m of the neighbour direction); 1 for
    /// consistent data. A value near 1/√3 means the targets are in another frame or convention,
    /// which no equivariant model can fit.
    static func dipoleAlignment(_ records: [EmulatorPreparedRecord], shell: Int) -> [String] {
        var cosines: [Double] = []
        var weights: [Double] = []
        for r in records {
            for (i, sample) in r.samples.enumerated() where sample.shell == shell && r.truth[i].lMax >= 1 {
                let t = r.truth[i], mesh = t.mesh
                let d = (1...3).map { lm -> Double in
                    let v = t.component(.charge, lm: lm)
                    return mesh.integrate((0..<mesh.count).map { v[$0] * mesh.r[$0] * mesh.r[$0] * mesh.r[$0] })
                }
                guard let eq = sample.input.descriptor.equivariant.first, eq.count >= 3 else { continue }
                var best = [Double](repeating: 0, count: 3), bestNorm = 0.0
                for j in 0..<(eq.count / 3) {
                    let f = Array(eq[(3 * j)..<(3 * j + 3)])
                    let n = f.map { $0 * $0 }.reduce(0, +)
                    if n > bestNorm { bestNorm = n; best = f }
                }
                let dn = d.map { $0 * $0 }.reduce(0, +)
                guard bestNorm > 0, dn > 0 else { continue }
                cosines.append(abs(zip(d, best).map { $0 * $1 }.reduce(0, +)) / (dn * bestNorm).squareRoot())
                weights.append(dn)
            }
        }
        guard !cosines.isEmpty else { return [] }
        let w = weights.reduce(0, +)
        let mean = zip(cosines, weights).map { $0 * $1 }.reduce(0, +) / w
        return [String(format: "  l = 1 target vs neighbour direction: dipole-weighted mean |cos| %.3f, min %.3f over %d sites "
                       + "(1 = consistent frame)", mean, cosines.min() ?? .nan, cosines.count)]
    }

    /// Squared-error budget of a set of site errors: mean squares of the parts, the share of the
    /// five worst records, and the correlation of the shift with the converged net charge.
    static func budget(_ errors: [EmulatorSiteError], records: [String: EmulatorPreparedRecord]) -> [String] {
        guard !errors.isEmpty else { return [] }
        let n = Double(errors.count)
        func parts(_ p: [EmulatorErrorDecomposition]) -> String {
            let sh = p.map { $0.shift[0] * $0.shift[0] }.reduce(0, +) / n
            let shp = p.map { $0.shape[0] * $0.shape[0] }.reduce(0, +) / n
            let ns = p.map { $0.nonSpherical[0] * $0.nonSpherical[0] }.reduce(0, +) / n
            let mag = p.map { $0.total(.magnetic) * $0.total(.magnetic) }.reduce(0, +) / n
            let tot = sh + shp + ns + mag
            return String(format: "rms %.4f; shares of the mean square: shift %.0f%%, shape %.0f%%, non-spherical %.0f%%, magnetic %.0f%%",
                          tot.squareRoot(), 100 * sh / tot, 100 * shp / tot, 100 * ns / tot, 100 * mag / tot)
        }
        func worst(_ totals: [Double]) -> String {
            let sq = totals.map { $0 * $0 }.sorted(by: >)
            let all = sq.reduce(0, +), top = sq.prefix(5).reduce(0, +)
            let rest = sq.count > 5 ? (sq.dropFirst(5).reduce(0, +) / Double(sq.count - 5)).squareRoot() : .nan
            return String(format: "5 worst sites carry %.0f%% of the squared error; rms without them %.4f", 100 * top / all, rest)
        }
        var out: [String] = []
        out.append("  model:    " + parts(errors.map(\.modelParts)) + "; " + worst(errors.map(\.model.total)))
        let base = errors.compactMap(\.baselineParts)
        if base.count == errors.count {
            out.append("  baseline: " + parts(base) + "; " + worst(errors.compactMap { $0.baseline?.total }))
        }
        // Linear fit of a shift on the converged net charge q (diagnostic: how much a perfect
        // knowledge of q would remove).
        let q = errors.map { records[$0.key]?.impurityNetChargeElectrons ?? .nan }
        if q.allSatisfy({ $0.isFinite }) {
            for (name, shifts) in [("model", errors.map { $0.modelParts.shift[0] }), ("baseline", base.map { $0.shift[0] }),
                                   ("truth", errors.map { $0.truthParts.shift[0] })] where shifts.count == q.count {
                let (slope, intercept, residual, corr) = linearFit(q, shifts)
                out.append(String(format: "  %@ shift vs q_imp: corr %+.2f, shift ≈ %+.3f q %+.3f Ry, residual rms %.4f (rms %.4f)",
                                  name as NSString, corr, slope, intercept, residual,
                                  (shifts.map { $0 * $0 }.reduce(0, +) / n).squareRoot()))
            }
        }
        return out
    }

    /// Outliers in the pair scalars (impurity features, prior coefficients): per scalar the
    /// range over the records and the record with the largest |z|-score. A record far outside
    /// the others in one feature is extrapolated by a linear model.
    public static func featureOutliers(_ records: [EmulatorPreparedRecord], names: [String]) -> [String] {
        guard let first = records.first, first.samples[0].input.pairValues.count == names.count else { return [] }
        var out = ["pair-scalar ranges (impurity site; name: min … max, largest |z| record)"]
        for (j, name) in names.enumerated() {
            let v = records.map { $0.samples[0].input.pairValues[j] }
            let n = Double(v.count), m = v.reduce(0, +) / n
            let sd = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / n).squareRoot()
            let i = v.indices.max { abs(v[$0] - m) < abs(v[$1] - m) }!
            out.append(String(format: "  %-28@ %+9.3f … %+9.3f   %@ z = %+.1f", name as NSString, v.min()!, v.max()!,
                              records[i].key as NSString, sd > 0 ? (v[i] - m) / sd : 0))
        }
        return out
    }

    /// Least-squares y ≈ a x + b: (a, b, residual rms, Pearson correlation).
    static func linearFit(_ x: [Double], _ y: [Double]) -> (Double, Double, Double, Double) {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxx += (a - mx) * (a - mx); sxy += (a - mx) * (b - my); syy += (b - my) * (b - my) }
        let slope = sxx > 0 ? sxy / sxx : 0
        let intercept = my - slope * mx
        let res = zip(x, y).map { let d = $1 - slope * $0 - intercept; return d * d }.reduce(0, +) / n
        return (slope, intercept, res.squareRoot(), sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0)
    }
}
