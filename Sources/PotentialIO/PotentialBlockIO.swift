// Reading and writing one potential block (`docs/formats.md` §1; `../shared/FORMATS.md` §1a).

extension PotentialBlock {
    /// Candidate record formats per header line, in order of preference (`docs/formats.md` §2).
    static let radiiCandidates = [BlockLineStyles.radiiKKRhost, BlockLineStyles.radiiOld]
    static let energiesCandidates = [BlockLineStyles.energiesKKRhost, BlockLineStyles.energiesVoronoi,
                                     BlockLineStyles.energiesAiida]
    static let pointCountCandidates = [3, 4, 5].map { FortranRecordFormat([.integer(width: $0)]) }

    /// Maximal number of core states (JuKKR arrays are dimensioned 20: `ecore(20,*)` in rites).
    public static let maximalCoreStateCount = 20

    /// Reads one block at the cursor. Mirrors KKRhost `startb1.f90` 245-367 and KKRimp
    /// `read_potential.f90` 232-467, but is stricter: counts, numeric syntax and ranges are
    /// checked and reported with the line number.
    static func parse(_ c: inout LineCursor) throws(PotentialFileError) -> PotentialBlock {
        let titleLine = try c.next("the title line of a potential block")
        guard let title = String(validating: c.bytes[titleLine.range], as: UTF8.self) else {
            throw c.error("the title line is not valid UTF-8 text", line: titleLine.number)
        }
        let source = SourceLocation(path: c.path, line: titleLine.number)

        let l2 = try c.next("line 2 (RMT ALAT RMTNEW)")
        let radii = try c.values(l2, [.real, .real, .real], names: "RMT ALAT RMTNEW")
        let l3 = try c.next("line 3 (Z)")
        let charge = try c.values(l3, [.real], names: "nuclear charge Z")
        let l4 = try c.next("line 4 (RWS EFERMI VBC)")
        let energies = try c.values(l4, [.real, .real, .real], names: "RWS EFERMI VBC")
        let l5 = try c.next("line 5 (NR)")
        let nrValue = try c.values(l5, [.int], names: "number of radial points NR")
        let l6 = try c.next("line 6 (mesh parameters A B)")
        let mesh = try c.values(l6, [.real, .real], names: "mesh parameters A B")
        let l7 = try c.next("line 7 (NCORE INEW)")
        let counts = try c.values(l7, [.int, .int], names: "NCORE INEW")

        guard case .int(let nr) = nrValue[0], nr >= 1 else {
            throw c.error("NR must be a positive number of radial points", line: l5.number)
        }
        guard case .real(let a) = mesh[0], case .real(let b) = mesh[1], a > 0, b > 0 else {
            throw c.error("mesh parameters A and B must be positive (r_i = B(exp(A(i-1))-1))", line: l6.number)
        }
        guard case .int(let ncore) = counts[0], case .int(let inew) = counts[1],
              (0...maximalCoreStateCount).contains(ncore) else {
            throw c.error("NCORE must be 0…\(maximalCoreStateCount)", line: l7.number)
        }
        guard inew == 1 else {
            throw c.error("INEW = \(inew): only INEW = 1 (values of V only, the form every current writer uses) is supported; INEW = 0 (r, dr/di, V triples) is not",
                          line: l7.number)
        }

        var cores: [CoreLevelLine] = []
        for k in 0..<ncore {
            let line = try c.next("core state \(k + 1) of \(ncore) (l, energy)")
            let toks = c.tokens(line)
            guard toks.count >= 2 else {
                throw c.error("expected a core state 'l energy' (\(k + 1) of NCORE = \(ncore)), found \(toks.count) value\(toks.count == 1 ? "" : "s")",
                              line: line.number)
            }
            guard let l = FortranNumber.parseInt(c.bytes[toks[0]]), (0...3).contains(l) else {
                throw c.error("expected the core-state l (0…3), found '\(c.tokenText(toks[0]))'", line: line.number)
            }
            guard let e = FortranNumber.parseReal(c.bytes[toks[1]]) else {
                throw c.error("expected a finite core-state energy, found '\(c.tokenText(toks[1]))' (NaN and Inf are not allowed)",
                              line: line.number)
            }
            let style: LineStyle = toks.count == 2
                ? LineStyle.detect(c.text(line), values: [.int(l), .real(e)], candidates: [BlockLineStyles.coreFormat])
                : .verbatim(c.text(line))
            cores.append(CoreLevelLine(l: l, energyRy: e, style: style))
        }

        var block = PotentialBlock(
            title: title, muffinTinRadiusBohr: radii[0].doubleValue, latticeConstantBohr: radii[1].doubleValue,
            adaptedMuffinTinRadiusBohr: radii[2].doubleValue, nuclearCharge: charge[0].doubleValue,
            wignerSeitzRadiusBohr: energies[0].doubleValue, fermiEnergyRy: energies[1].doubleValue,
            vbcRy: energies[2].doubleValue, radialPointCount: nr, meshA: a, meshBBohr: b, coreLevels: cores,
            fullPotential: nil, vm2zRy: [], nonSpherical: [],
            styles: BlockLineStyles(
                radii: .detect(c.text(l2), values: radii, candidates: radiiCandidates),
                nuclearCharge: .detect(c.text(l3), values: charge, candidates: [BlockLineStyles.chargeFormat]),
                energies: .detect(c.text(l4), values: energies, candidates: energiesCandidates),
                pointCount: .detect(c.text(l5), values: nrValue, candidates: pointCountCandidates),
                meshParameters: .detect(c.text(l6), values: mesh, candidates: [BlockLineStyles.meshFormat]),
                coreCount: .detect(c.text(l7), values: counts, candidates: [BlockLineStyles.coreCountFormat]),
                terminator: .fortran(BlockLineStyles.lmFormat)),
            source: source)

        // INS detection as in KKRimp pre_read_potential (read_potential.f90 594-671): four
        // integers after the core lines mean a full-potential block.
        guard let next = c.peek() else {
            throw c.error("unexpected end of file: expected the potential values after the core states (file truncated?)",
                          line: c.nextLineNumber)
        }
        let toks = c.tokens(next)
        let ints = toks.compactMap { FortranNumber.parseInt(c.bytes[$0]) }
        if toks.count == 4 && ints.count == 4 {
            _ = try c.next("")
            try block.parseFullPotential(header: ints, line: next, text: c.text(next), cursor: &c)
        } else {
            let (v, style) = try c.fixedWidthValues(count: nr, what: "spherical potential values vm2z (NR = \(nr))")
            block.vm2zRy = v
            block.sphericalStyle = style ?? .kkrhostSpherical
        }
        return block
    }

    private mutating func parseFullPotential(header h: [Int], line: Line, text: String,
                                             cursor c: inout LineCursor) throws(PotentialFileError) {
        let (nr2, irns, lmpot, isave) = (h[0], h[1], h[2], h[3])
        guard nr2 == radialPointCount else {
            throw c.error("NR = \(nr2) in the full-potential line 'NR IRNS LMPOT ISAVE' differs from NR = \(radialPointCount) on line 5 of the block",
                          line: line.number)
        }
        guard irns >= 0 && irns < radialPointCount else {
            throw c.error("IRNS = \(irns) must satisfy 0 ≤ IRNS < NR = \(radialPointCount) (the non-spherical part covers IRNS+1 points)",
                          line: line.number)
        }
        let lpot = Int(Double(max(lmpot, 0)).squareRoot().rounded())
        guard lmpot >= 1 && lpot * lpot == lmpot else {
            throw c.error("LMPOT = \(lmpot) must be a square (LPOT+1)², e.g. 25 for LMAX = 2", line: line.number)
        }
        guard isave == 0 || isave == 1 else {
            throw c.error("ISAVE = \(isave) must be 1 (lm index before each component) or 0", line: line.number)
        }
        fullPotential = FullPotentialHeader(
            irns: irns, lmpot: lmpot, isave: isave,
            style: .detect(text, values: h.map { .int($0) }, candidates: [BlockLineStyles.fullPotentialFormat]))
        let (v, style) = try c.fixedWidthValues(count: radialPointCount,
                                                what: "spherical potential values vm2z (NR = \(radialPointCount))")
        vm2zRy = v
        sphericalStyle = style ?? .kkrhostFullPotential
        guard lmpot > 1 else { return }
        let count = irns + 1
        if isave == 0 {
            // startb1.f90 348-354: all lm = 2…LMPOT follow without index lines.
            for lm in 2...lmpot {
                let (values, vs) = try c.fixedWidthValues(count: count, what: "values of lm = \(lm) (IRNS+1 = \(count))")
                nonSpherical.append(NonSphericalComponent(lm: LMIndex(jukkrIndex: lm)!, valuesRy: values,
                                                          valueStyle: vs ?? .kkrhostFullPotential))
            }
            return
        }
        var seen = Set<Int>()
        for _ in 0..<(lmpot - 1) {
            let l = try c.next("an lm index line or the end marker '1'")
            let idx = try c.values(l, [.int], names: "lm index (2…LMPOT) or end marker 1")
            guard case .int(let lm) = idx[0] else { break }
            let style = LineStyle.detect(c.text(l), values: idx, candidates: [BlockLineStyles.lmFormat])
            if lm == 1 {
                styles.terminator = style
                return
            }
            guard lm >= 2 && lm <= lmpot else {
                throw c.error("lm = \(lm) is out of range: expected 2…LMPOT = \(lmpot), or 1 to end the list", line: l.number)
            }
            guard seen.insert(lm).inserted else {
                throw c.error("lm = \(lm) appears twice in this block", line: l.number)
            }
            let (values, vs) = try c.fixedWidthValues(count: count, what: "values of lm = \(lm) (IRNS+1 = \(count))")
            nonSpherical.append(NonSphericalComponent(lm: LMIndex(jukkrIndex: lm)!, valuesRy: values,
                                                      indexLineStyle: style, valueStyle: vs ?? .kkrhostFullPotential))
        }
    }

    /// The first inconsistency of the block, if any (checked before every write).
    public func validationProblem() -> String? {
        let scalars = [muffinTinRadiusBohr, latticeConstantBohr, adaptedMuffinTinRadiusBohr, nuclearCharge,
                       wignerSeitzRadiusBohr, fermiEnergyRy, vbcRy, meshA, meshBBohr]
        if !scalars.allSatisfy(\.isFinite) { return "a header value is NaN or infinite" }
        if title.contains("\n") { return "the title contains a newline" }
        if radialPointCount < 1 { return "NR = \(radialPointCount) must be positive" }
        if !(meshA > 0 && meshBBohr > 0) { return "mesh parameters A, B must be positive" }
        if coreLevels.count > Self.maximalCoreStateCount { return "\(coreLevels.count) core states; at most 20 are allowed" }
        if let bad = coreLevels.first(where: { !(0...3).contains($0.l) || !$0.energyRy.isFinite }) {
            return "core state l = \(bad.l), E = \(bad.energyRy) is invalid (l must be 0…3, E finite)"
        }
        if vm2zRy.count != radialPointCount { return "vm2z has \(vm2zRy.count) values, NR = \(radialPointCount)" }
        if !vm2zRy.allSatisfy(\.isFinite) { return "vm2z contains NaN or infinite values" }
        guard let fp = fullPotential else {
            return nonSpherical.isEmpty ? nil : "a spherical (INS = 0) block cannot hold non-spherical components"
        }
        if fp.irns < 0 || fp.irns >= radialPointCount { return "IRNS = \(fp.irns) must be in 0..<NR = \(radialPointCount)" }
        let lpot = Int(Double(max(fp.lmpot, 0)).squareRoot().rounded())
        if fp.lmpot < 1 || lpot * lpot != fp.lmpot { return "LMPOT = \(fp.lmpot) is not a square" }
        if fp.isave != 0 && fp.isave != 1 { return "ISAVE = \(fp.isave) must be 0 or 1" }
        var seen = Set<Int>()
        for comp in nonSpherical {
            let lm = comp.lm.jukkrIndex
            if lm < 2 || lm > fp.lmpot { return "lm = \(lm) outside 2…LMPOT = \(fp.lmpot)" }
            if !seen.insert(lm).inserted { return "lm = \(lm) appears twice" }
            if comp.valuesRy.count != fp.irns + 1 {
                return "lm = \(lm) has \(comp.valuesRy.count) values, IRNS+1 = \(fp.irns + 1)"
            }
            if !comp.valuesRy.allSatisfy(\.isFinite) { return "lm = \(lm) contains NaN or infinite values" }
        }
        if fp.isave == 0 && nonSpherical.map(\.lm.jukkrIndex) != Array(stride(from: 2, through: fp.lmpot, by: 1)) {
            return "ISAVE = 0 requires all lm = 2…LMPOT in order"
        }
        return nil
    }

    /// Appends the block's text to `out` (writer: `rites.f90` 131-203 for the KKRhost formats).
    func append(to out: inout [UInt8]) throws(FortranFormatError) {
        out.append(contentsOf: Array(title.utf8))
        out.append(10)
        try styles.radii.render([.real(muffinTinRadiusBohr), .real(latticeConstantBohr), .real(adaptedMuffinTinRadiusBohr)],
                                fallback: BlockLineStyles.radiiKKRhost, into: &out)
        out.append(10)
        try styles.nuclearCharge.render([.real(nuclearCharge)], fallback: BlockLineStyles.chargeFormat, into: &out)
        out.append(10)
        try styles.energies.render([.real(wignerSeitzRadiusBohr), .real(fermiEnergyRy), .real(vbcRy)],
                                   fallback: BlockLineStyles.energiesKKRhost, into: &out)
        out.append(10)
        var pointStyle = styles.pointCount
        if case .fortran(let f) = pointStyle, (try? f.format([.int(radialPointCount)])) == nil {
            pointStyle = .fortran(BlockLineStyles.pointCountFormat(radialPointCount))
        }
        try pointStyle.render([.int(radialPointCount)], fallback: BlockLineStyles.pointCountFormat(radialPointCount),
                              into: &out)
        out.append(10)
        try styles.meshParameters.render([.real(meshA), .real(meshBBohr)], fallback: BlockLineStyles.meshFormat, into: &out)
        out.append(10)
        try styles.coreCount.render([.int(coreLevels.count), .int(1)], fallback: BlockLineStyles.coreCountFormat, into: &out)
        out.append(10)
        for core in coreLevels {
            try core.style.render([.int(core.l), .real(core.energyRy)], fallback: BlockLineStyles.coreFormat, into: &out)
            out.append(10)
        }
        guard let fp = fullPotential else {
            try sphericalStyle.append(vm2zRy, to: &out)
            return
        }
        try fp.style.render([.int(radialPointCount), .int(fp.irns), .int(fp.lmpot), .int(fp.isave)],
                            fallback: BlockLineStyles.fullPotentialFormat, into: &out)
        out.append(10)
        try sphericalStyle.append(vm2zRy, to: &out)
        guard fp.lmpot > 1 else { return }
        for comp in nonSpherical {
            if fp.isave == 1 {
                try comp.indexLineStyle.render([.int(comp.lm.jukkrIndex)], fallback: BlockLineStyles.lmFormat, into: &out)
                out.append(10)
            }
            try comp.valueStyle.append(comp.valuesRy, to: &out)
        }
        // rites.f90 200: "if (lmnr<lmpot) write (ifile, fmt=180) isave"
        if fp.isave == 1 && nonSpherical.count < fp.lmpot - 1 {
            try styles.terminator.render([.int(1)], fallback: BlockLineStyles.lmFormat, into: &out)
            out.append(10)
        }
    }
}
