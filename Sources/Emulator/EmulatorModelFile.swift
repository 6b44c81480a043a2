import Foundation
import Descriptors
import KKRNumerics
import Lattice
import Storage

/// HDF5 serialisation of `EmulatorModel` (layout in docs/emulator.md §7). Written atomically;
/// the loader checks the format name and version and every shape, and reports the object that
/// is wrong.
extension EmulatorModel {
    public static let formatName = "kkr-emulator-model"
    /// 2: impurity features, prior mode and attachments (version 1 files are still read).
    public static let formatVersion = 2
    /// Stored in the file so that a reader never has to guess λ vs λ².
    public static let penaltyConvention =
        "each output k minimises ||y_k - Phi~ w~_k||^2 + lambda_k ||w~_k||^2 over standardised features "
        + "Phi~ = (x - mean)/scale (mean = 0 without intercept); prior w~ ~ N(0, sigma_k^2/lambda_k); "
        + "predictive variance sigma_k^2 [1 + 1/N (intercept) + phi~^T (Phi~^T Phi~ + lambda_k)^-1 phi~]"

    /// Attachments are deflate-compressed (densities of free atoms compress well).
    static let attachmentCompression = HDF5Compression.deflate(level: 6)

    /// Writes the model to `path` (temporary file + rename).
    public func save(to path: String, overwrite: Bool = false) throws {
        try HDF5File.writeAtomically(to: path, overwrite: overwrite) { file in
            try file.setAttribute("format", Self.formatName)
            try file.setAttribute("formatVersion", Int64(Self.formatVersion))
            try file.setAttribute("penaltyConvention", Self.penaltyConvention)
            try file.createGroup("provenance")
            for (k, v) in provenance.sorted(by: { $0.key < $1.key }) { try file.setAttribute(k, v, on: "provenance") }

            let d = configuration.descriptor
            try file.createGroup("descriptor")
            try file.setAttribute("alpha", d.alpha, on: "descriptor")
            try file.setAttribute("beta", d.beta, on: "descriptor")
            try file.setAttribute("nMax", Int64(d.nMax), on: "descriptor")
            try file.setAttribute("lMax", Int64(d.lMax), on: "descriptor")
            try file.setAttribute("lOutMax", Int64(d.lOutMax), on: "descriptor")
            try file.setAttribute("rMin", d.rMin, on: "descriptor")
            try file.setAttribute("rCut", d.rCut, on: "descriptor")
            try file.setAttribute("lengthUnit", d.lengthUnit.rawValue, on: "descriptor")
            try file.setAttribute("includeTwoBody", Int64(d.includeTwoBody ? 1 : 0), on: "descriptor")
            try file.write(d.channels.map(\.kind.rawValue), to: "descriptor/channelKinds")
            try file.write(d.channels.map(\.feature), to: "descriptor/channelFeatures")
            try file.write(d.channels.map(\.scale), to: "descriptor/channelScales")

            try file.write(configuration.hostElementFeatures, to: "host/elementFeatures")
            let imp = configuration.impurityFeatures
            try file.createGroup("impurity")
            try file.write(imp.map(\.kind.rawValue), to: "impurity/featureKinds")
            try file.write(imp.map(\.feature), to: "impurity/featureNames")
            try file.write(imp.map(\.scale), to: "impurity/featureScales")

            let symbols = elementFeatures.values.keys.sorted()
            try file.write(elementFeatures.featureNames, to: "elementFeatures/names")
            try file.write(symbols, to: "elementFeatures/symbols")
            try file.write(symbols.flatMap { elementFeatures.values[$0]! },
                           shape: [symbols.count, elementFeatures.featureNames.count], to: "elementFeatures/values")

            try file.createGroup("target")
            try file.setAttribute("lMax", Int64(configuration.targetLMax), on: "target")
            try file.setAttribute("shellCount", Int64(configuration.shellCount), on: "target")
            try file.setAttribute("outputLayout", "output index = component * K + k; component 0 = charge (up+down)/2, "
                                  + "1 = magnetic (up-down)/2; rows m = -l..l share the weights", on: "target")
            try file.setAttribute("nuclearTerm", "removed: targets are dV - (-2 dZ sqrt(4 pi)/r) for L = 00", on: "target")
            try file.createGroup("kernel")
            try file.write(configuration.kernelInputs, to: "kernel/inputs")
            for (i, k) in configuration.kernels.enumerated() {
                let g = "kernel/map\(i)"
                try file.createGroup(g)
                try file.setAttribute("lengthScale", k.lengthScale, on: g)
                try file.setAttribute("seed", Int64(bitPattern: k.seed), on: g)
                try file.write(k.inputIndices.map { Int64($0) }, to: "\(g)/inputIndices")
                try file.write(k.means, to: "\(g)/means")
                try file.write(k.scales, to: "\(g)/scales")
                try file.write(k.frequencies, shape: [k.count, k.inputCount], to: "\(g)/frequencies")
                try file.write(k.phases, to: "\(g)/phases")
            }
            try file.setAttribute("prior", configuration.prior.rawValue, on: "target")
            try file.setAttribute("priorName", configuration.priorName, on: "target")
            if configuration.vanishingForHost { try file.setAttribute("vanishingForHost", Int64(1), on: "target") }
            try ImpurityDataset.writeBasis(configuration.radialBasis, to: file, at: "target/radialBasis")

            for (s, perL) in fits.enumerated() {
                for (l, fit) in perL.enumerated() {
                    try Self.writeFit(fit, labels: assembly.featureLabels(l: l), to: file, at: "regressions/shell\(s)/l\(l)")
                }
            }

            try file.write(trainingPairs.map(\.host), to: "training/hosts")
            try file.write(trainingPairs.map(\.impurity), to: "training/impurities")
            try file.write(trainingPairs.map(\.lattice.rawValue), to: "training/lattices")
            try file.write(trainingPairs.map(\.latticeConstantBohr), to: "training/latticeConstantsBohr")
            for (s, fit) in propertyFits.enumerated() {
                try Self.writeFit(fit, labels: assembly.featureLabels(l: 0), to: file, at: "properties/shell\(s)")
            }
            if !propertyFits.isEmpty { try file.write(Self.propertyNames, to: "properties/names") }
            try file.createGroup("attachments")
            for (name, a) in attachments.sorted(by: { $0.key < $1.key }) {
                try file.write(a.values, shape: a.shape, to: "attachments/\(name)", compression: Self.attachmentCompression)
            }
        }
    }

    static func rowMajor(_ m: RealMatrix) -> [Double] {
        var out = [Double](repeating: 0, count: m.rows * m.cols)
        for i in 0..<m.rows { for j in 0..<m.cols { out[i * m.cols + j] = m[i, j] } }
        return out
    }

    static func writeFit(_ f: RidgeFit, labels: [String], to file: HDF5File, at path: String) throws {
        try file.createGroup(path)
        try file.setAttribute("featureCount", Int64(f.featureCount), on: path)
        try file.setAttribute("outputCount", Int64(f.outputCount), on: path)
        try file.setAttribute("hasIntercept", Int64(f.hasIntercept ? 1 : 0), on: path)
        try file.setAttribute("rowCount", Int64(f.rowCount), on: path)
        try file.write(labels, to: "\(path)/featureLabels")
        try file.write(f.featureMeans, to: "\(path)/featureMeans")
        try file.write(f.featureScales, to: "\(path)/featureScales")
        try file.write(rowMajor(f.weights), shape: [f.featureCount, f.outputCount], to: "\(path)/weights")
        try file.write(f.intercepts, to: "\(path)/intercepts")
        try file.write(f.lambdas, to: "\(path)/lambdas")
        try file.write(f.noiseVariances, to: "\(path)/noiseVariances")
        try file.write(f.effectiveParameters, to: "\(path)/effectiveParameters")
        try file.write(f.activeFeatures.map { Int64($0) }, to: "\(path)/activeFeatures")
        try file.write(rowMajor(f.eigenvectors), shape: [f.eigenvectors.rows, f.eigenvectors.cols], to: "\(path)/eigenvectors")
        try file.write(f.eigenvalues, to: "\(path)/eigenvalues")
    }

    /// Reads and validates a model file.
    public static func load(from path: String) throws -> EmulatorModel {
        do {
            return try HDF5File.withFile(path) { file in try read(file) }
        } catch let e as EmulatorError {
            throw e
        } catch let e as StorageError where e.kind == .fileNotFound {
            throw EmulatorError.invalidInput("\(path): no such model file (check the path, or train and save a model first)")
        } catch let e as StorageError where e.kind == .notAnHDF5File {
            throw EmulatorError.corruptFile(file: path, detail: "cannot open model: \(e.detail)")
        } catch {
            throw EmulatorError.corruptFile(file: path, detail: "\(error)")
        }
    }

    static func read(_ file: HDF5File) throws -> EmulatorModel {
        func fail(_ detail: String) -> EmulatorError { .corruptFile(file: file.path, detail: detail) }
        guard try file.hasAttribute("format"), try file.stringAttribute("format") == formatName else {
            throw fail("not a kkr-emulator model (root attribute format ≠ \(formatName))")
        }
        let version = Int(try file.attribute("formatVersion", as: Int64.self))
        guard version == 1 || version == formatVersion else {
            throw EmulatorError.unsupportedVersion(file: file.path, kind: "model", found: version, supported: formatVersion)
        }
        var provenance: [String: String] = [:]
        for k in try file.attributeNames(of: "provenance") { provenance[k] = try file.stringAttribute(k, of: "provenance") }

        func int(_ name: String, _ path: String) throws -> Int { Int(try file.attribute(name, of: path, as: Int64.self)) }
        let kinds = try file.readStrings(from: "descriptor/channelKinds").values
        let features = try file.readStrings(from: "descriptor/channelFeatures").values
        let scales = try file.read(Double.self, from: "descriptor/channelScales").values
        guard kinds.count == features.count, kinds.count == scales.count else {
            throw fail("/descriptor: channel arrays differ in length (\(kinds.count), \(features.count), \(scales.count))")
        }
        let channels = try kinds.indices.map { i -> SpeciesChannel in
            guard let kind = SpeciesChannel.Kind(rawValue: kinds[i]) else { throw fail("/descriptor: unknown channel kind '\(kinds[i])'") }
            switch kind {
            case .constant: return .constant
            case .substitution: return .substitution
            default: return try SpeciesChannel(kind: kind, feature: features[i], scale: scales[i])
            }
        }
        let unitName = try file.stringAttribute("lengthUnit", of: "descriptor")
        guard let unit = JacobiLegendreConfiguration.LengthUnit(rawValue: unitName) else {
            throw fail("/descriptor: unknown length unit '\(unitName)'")
        }
        let descriptor = try JacobiLegendreConfiguration(
            alpha: try file.attribute("alpha", of: "descriptor", as: Double.self),
            beta: try file.attribute("beta", of: "descriptor", as: Double.self),
            nMax: try int("nMax", "descriptor"), lMax: try int("lMax", "descriptor"), lOutMax: try int("lOutMax", "descriptor"),
            rMin: try file.attribute("rMin", of: "descriptor", as: Double.self),
            rCut: try file.attribute("rCut", of: "descriptor", as: Double.self),
            lengthUnit: unit, channels: channels, includeTwoBody: try int("includeTwoBody", "descriptor") != 0)
        let hostFeatures = try file.readStrings(from: "host/elementFeatures").values
        var impurityFeatures: [SpeciesChannel] = []
        var prior = PriorMode.none, priorName = ""
        if version >= 2 {
            let ik = try file.readStrings(from: "impurity/featureKinds").values
            let inames = try file.readStrings(from: "impurity/featureNames").values
            let iscales = try file.read(Double.self, from: "impurity/featureScales").values
            guard ik.count == inames.count, ik.count == iscales.count else {
                throw fail("/impurity: feature arrays differ in length (\(ik.count), \(inames.count), \(iscales.count))")
            }
            impurityFeatures = try ik.indices.map { i in
                guard let kind = SpeciesChannel.Kind(rawValue: ik[i]), kind != .constant, kind != .substitution else {
                    throw fail("/impurity: invalid feature kind '\(ik[i])'")
                }
                return try SpeciesChannel(kind: kind, feature: inames[i], scale: iscales[i])
            }
            let priorText = try file.stringAttribute("prior", of: "target")
            guard let p = PriorMode(rawValue: priorText) else { throw fail("/target: unknown prior mode '\(priorText)'") }
            prior = p
            priorName = try file.stringAttribute("priorName", of: "target")
        }
        var kernelInputs: [String] = []
        var kernels: [KernelFeatureMap] = []
        if version >= 2, try file.exists("kernel") {
            kernelInputs = try file.readStrings(from: "kernel/inputs").values
            let maps = try file.children(of: "kernel").filter { $0.hasPrefix("map") }
                .sorted { (Int($0.dropFirst(3)) ?? 0) < (Int($1.dropFirst(3)) ?? 0) }
            for m in maps {
                let g = "kernel/\(m)"
                do {
                    kernels.append(try KernelFeatureMap(
                        inputIndices: try file.read(Int64.self, from: "\(g)/inputIndices").values.map { Int($0) },
                        lengthScale: try file.attribute("lengthScale", of: g, as: Double.self),
                        seed: UInt64(bitPattern: try file.attribute("seed", of: g, as: Int64.self)),
                        means: try file.read(Double.self, from: "\(g)/means").values,
                        scales: try file.read(Double.self, from: "\(g)/scales").values,
                        frequencies: try file.read(Double.self, from: "\(g)/frequencies").values,
                        phases: try file.read(Double.self, from: "\(g)/phases").values))
                } catch {
                    throw fail("/\(g): \(error)")
                }
            }
        }

        let names = try file.readStrings(from: "elementFeatures/names").values
        let symbols = try file.readStrings(from: "elementFeatures/symbols").values
        let values = try file.read(Double.self, from: "elementFeatures/values")
        guard values.shape == [symbols.count, names.count] else {
            throw fail("/elementFeatures/values has shape \(values.shape), expected [\(symbols.count), \(names.count)]")
        }
        var byElement: [String: [Double]] = [:]
        for (i, s) in symbols.enumerated() { byElement[s] = Array(values.values[(i * names.count)..<((i + 1) * names.count)]) }
        let elementFeatures = try StoredElementFeatures(featureNames: names, values: byElement)

        let basis = try ImpurityDataset.readBasis(file, at: "target/radialBasis")
        let configuration = try EmulatorConfiguration(descriptor: descriptor, hostElementFeatures: hostFeatures,
                                                      targetLMax: try int("lMax", "target"), radialBasis: basis,
                                                      shellCount: try int("shellCount", "target"),
                                                      impurityFeatures: impurityFeatures, prior: prior, priorName: priorName,
                                                      kernelInputs: kernelInputs, kernels: kernels,
                                                      vanishingForHost: try file.hasAttribute("vanishingForHost", on: "target")
                                                          && (try int("vanishingForHost", "target")) != 0)
        var fits: [[RidgeFit]] = []
        for s in 0...configuration.shellCount {
            var perL: [RidgeFit] = []
            for l in 0...configuration.targetLMax {
                let path = "regressions/shell\(s)/l\(l)"
                guard try file.exists(path) else { throw fail("regression \(path) is missing") }
                perL.append(try readFit(file, at: path))
            }
            fits.append(perL)
        }

        let hosts = try file.readStrings(from: "training/hosts").values
        let impurities = try file.readStrings(from: "training/impurities").values
        let lattices = try file.readStrings(from: "training/lattices").values
        let constants = try file.read(Double.self, from: "training/latticeConstantsBohr").values
        guard impurities.count == hosts.count, lattices.count == hosts.count, constants.count == hosts.count else {
            throw fail("/training: pair arrays differ in length")
        }
        let pairs = try hosts.indices.map { i -> TrainingPair in
            guard let lattice = LatticeType(rawValue: lattices[i]) else { throw fail("/training: unknown lattice '\(lattices[i])'") }
            return TrainingPair(host: hosts[i], impurity: impurities[i], lattice: lattice, latticeConstantBohr: constants[i])
        }
        var attachments: [String: HDF5Array<Double>] = [:]
        var propertyFits: [RidgeFit] = []
        if version >= 2, try file.exists("properties") {
            let names = try file.readStrings(from: "properties/names").values
            guard names == propertyNames else { throw fail("/properties/names is \(names), expected \(propertyNames)") }
            propertyFits = try (0...configuration.shellCount).map { try readFit(file, at: "properties/shell\($0)") }
        }
        if version >= 2 {
            for name in try file.children(of: "attachments") {
                attachments[name] = try file.read(Double.self, from: "attachments/\(name)")
            }
        }
        do {
            return try EmulatorModel(configuration: configuration, fits: fits, elementFeatures: elementFeatures,
                                     trainingPairs: pairs, provenance: provenance, attachments: attachments,
                                     propertyFits: propertyFits)
        } catch {
            throw fail("inconsistent model: \(error)")
        }
    }

    static func readFit(_ file: HDF5File, at path: String) throws -> RidgeFit {
        func fail(_ detail: String) -> EmulatorError { .corruptFile(file: file.path, detail: "\(path): \(detail)") }
        let p = Int(try file.attribute("featureCount", of: path, as: Int64.self))
        let q = Int(try file.attribute("outputCount", of: path, as: Int64.self))
        func vector(_ name: String, _ n: Int) throws -> [Double] {
            let a = try file.read(Double.self, from: "\(path)/\(name)")
            guard a.shape == [n] else { throw fail("\(name) has shape \(a.shape), expected [\(n)]") }
            return a.values
        }
        func matrix(_ name: String, rows: Int?, cols: Int?) throws -> RealMatrix {
            let a = try file.read(Double.self, from: "\(path)/\(name)")
            guard a.rank == 2, rows.map({ $0 == a.shape[0] }) ?? true, cols.map({ $0 == a.shape[1] }) ?? true else {
                throw fail("\(name) has shape \(a.shape), expected [\(rows.map(String.init) ?? "·"), \(cols.map(String.init) ?? "·")]")
            }
            var m = RealMatrix(rows: a.shape[0], cols: a.shape[1])
            for i in 0..<m.rows { for j in 0..<m.cols { m[i, j] = a.values[i * m.cols + j] } }
            return m
        }
        let active = try file.read(Int64.self, from: "\(path)/activeFeatures").values.map { Int($0) }
        let vectors = try matrix("eigenvectors", rows: active.count, cols: nil)
        do {
            return try RidgeFit(featureCount: p, outputCount: q,
                                hasIntercept: try file.attribute("hasIntercept", of: path, as: Int64.self) != 0,
                                rowCount: Int(try file.attribute("rowCount", of: path, as: Int64.self)),
                                featureMeans: try vector("featureMeans", p), featureScales: try vector("featureScales", p),
                                weights: try matrix("weights", rows: p, cols: q), intercepts: try vector("intercepts", q),
                                lambdas: try vector("lambdas", q), noiseVariances: try vector("noiseVariances", q),
                                effectiveParameters: try vector("effectiveParameters", q), activeFeatures: active,
                                eigenvectors: vectors, eigenvalues: try vector("eigenvalues", vectors.cols))
        } catch let e as EmulatorError {
            if case .corruptFile = e { throw e }
            throw fail("\(e)")
        }
    }
}
