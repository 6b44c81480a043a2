import Elements

/// Source of the continuous element vectors through which chemistry enters the descriptors
/// (emulator-model.md item 3). Implementations must be deterministic: the same element always
/// gives the same vector, and `featureNames` names its entries in order.
///
/// The free-atom solver (another module) will supply orbital energies, radii and projected
/// free-atom potentials per element; pass them in through `ElementFeatureTable(extraNames:extraValues:)`
/// or your own conforming type, so that this module does not depend on `Atom`.
public protocol ElementFeatureProvider: Sendable {
    /// Names of the entries of `features(of:)`, in order; unique.
    var featureNames: [String] { get }
    /// The feature vector of an element; throws `DescriptorError.missingElementFeatures` if the
    /// provider has no data for it.
    func features(of element: Element) throws -> [Double]
}

extension ElementFeatureProvider {
    /// The value of one named feature.
    public func value(_ name: String, of element: Element) throws -> Double {
        guard let i = featureNames.firstIndex(of: name) else {
            throw DescriptorError.unknownFeature(name: name, available: featureNames)
        }
        return try features(of: element)[i]
    }
}

/// Tabulated `Element.propertyVector` (Z, period, group, valence electrons, outer s, p, d, f
/// occupations) followed by optional caller-supplied per-element vectors (e.g. free-atom orbital
/// energies in Ry and radii in bohr from the atom solver), keyed by element symbol.
public struct ElementFeatureTable: ElementFeatureProvider, Equatable {
    /// Names of the caller-supplied entries (appended after `Element.propertyNames`).
    public let extraNames: [String]
    /// Caller-supplied values by element symbol (case as in the periodic table, e.g. "Fe").
    public let extraValues: [String: [Double]]

    public var featureNames: [String] { Element.propertyNames + extraNames }

    /// Only the tabulated properties.
    public init() {
        extraNames = []
        extraValues = [:]
    }

    /// With extra per-element vectors; every vector must have `extraNames.count` finite entries and
    /// names must not repeat the tabulated ones.
    public init(extraNames: [String], extraValues: [String: [Double]]) throws {
        let all = Element.propertyNames + extraNames
        guard Set(all).count == all.count else {
            throw DescriptorError.invalidInput("element feature names must be unique; got \(all)")
        }
        var normalised: [String: [Double]] = [:]
        for (symbol, values) in extraValues {
            let element: Element
            do { element = try PeriodicTable.element(symbol: symbol) } catch {
                throw DescriptorError.invalidInput("extra element features: \(error)")
            }
            guard values.count == extraNames.count else {
                throw DescriptorError.invalidInput("extra element features for \(symbol): \(values.count) values for "
                    + "\(extraNames.count) names (\(extraNames.joined(separator: ", ")))")
            }
            guard values.allSatisfy(\.isFinite) else {
                throw DescriptorError.invalidInput("extra element features for \(symbol) contain a non-finite value: \(values)")
            }
            normalised[element.symbol] = values
        }
        self.extraNames = extraNames
        self.extraValues = normalised
    }

    public func features(of element: Element) throws -> [Double] {
        if extraNames.isEmpty { return element.propertyVector }
        guard let extra = extraValues[element.symbol] else {
            throw DescriptorError.missingElementFeatures(
                element: element.symbol,
                detail: "the extra features (\(extraNames.joined(separator: ", "))) have no values for it; compute them "
                    + "(free-atom solver) and add them to the ElementFeatureTable")
        }
        return element.propertyVector + extra
    }
}

/// One species channel g_c of the atomic density A_{c n l m} = Σ_i g_c(e_i) P̃_n(x_i) Y_lm(r̂_i):
///
///     constant:                 g(e) = 1                         (pure geometry),
///     feature f, absolute:      g(e) = f(e) / scale,
///     feature f, relative:      g(e) = (f(e) − f(host)) / scale  (zero for host atoms),
///     substitution:             g(e) = 1 if e ≠ host, else 0      (marks the foreign atom).
///
/// The substitution channel carries no chemistry: with it, an environment's density says only
/// where the foreign atom sits, and the chemistry of a single impurity enters through
/// centre-only (pair-level) scalars that multiply these features (docs/emulator.md §11).
///
/// Relative channels make every chemical channel vanish for a host-in-host "impurity", so the
/// descriptors of the unperturbed crystal are pure geometry. `scale` (same unit as the feature)
/// makes the channels O(1).
public struct SpeciesChannel: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Hashable, CaseIterable {
        case constant, absolute, relativeToHost, substitution
    }
    public let kind: Kind
    /// Element feature name ("" for `.constant`).
    public let feature: String
    public let scale: Double

    public static let constant = SpeciesChannel(uncheckedKind: .constant, feature: "", scale: 1)
    /// g(e) = 1 for elements other than the host, 0 for the host.
    public static let substitution = SpeciesChannel(uncheckedKind: .substitution, feature: "", scale: 1)

    public init(kind: Kind, feature: String, scale: Double = 1) throws {
        guard scale.isFinite, scale > 0 else {
            throw DescriptorError.invalidParameter("species channel '\(feature)': scale must be positive, got \(scale)")
        }
        if kind == .constant || kind == .substitution {
            guard feature.isEmpty, scale == 1 else {
                throw DescriptorError.invalidParameter("the \(kind.rawValue) species channel takes no feature and scale 1")
            }
        } else if feature.isEmpty {
            throw DescriptorError.invalidParameter("a \(kind.rawValue) species channel needs an element feature name")
        }
        self.init(uncheckedKind: kind, feature: feature, scale: scale)
    }

    private init(uncheckedKind kind: Kind, feature: String, scale: Double) {
        self.kind = kind; self.feature = feature; self.scale = scale
    }

    /// A channel (f(e) − f(host))/scale.
    public static func relative(_ feature: String, scale: Double = 1) throws -> SpeciesChannel {
        try SpeciesChannel(kind: .relativeToHost, feature: feature, scale: scale)
    }

    /// A channel f(e)/scale.
    public static func absolute(_ feature: String, scale: Double = 1) throws -> SpeciesChannel {
        try SpeciesChannel(kind: .absolute, feature: feature, scale: scale)
    }

    public var description: String {
        switch kind {
        case .constant: return "1"
        case .substitution: return "foreign"
        case .absolute: return "\(feature)/\(scale)"
        case .relativeToHost: return "Δ\(feature)/\(scale)"
        }
    }
}

/// The species channels resolved for one host: g_c(e) for any element.
public struct SpeciesEmbedding: Sendable {
    public let channels: [SpeciesChannel]
    public let host: Element
    private let provider: any ElementFeatureProvider
    private let featureIndex: [Int]
    private let hostValues: [Double]

    public init(channels: [SpeciesChannel], host: Element, provider: any ElementFeatureProvider) throws {
        guard !channels.isEmpty else { throw DescriptorError.invalidParameter("at least one species channel is needed") }
        self.channels = channels
        self.host = host
        self.provider = provider
        let names = provider.featureNames
        featureIndex = try channels.map { ch in
            if ch.kind == .constant || ch.kind == .substitution { return -1 }
            guard let i = names.firstIndex(of: ch.feature) else {
                throw DescriptorError.unknownFeature(name: ch.feature, available: names)
            }
            return i
        }
        let hostFeatures = try provider.features(of: host)
        hostValues = featureIndex.map { $0 >= 0 ? hostFeatures[$0] : 0 }
    }

    /// g_c(e) for all channels c.
    public func values(of element: Element) throws -> [Double] {
        let f = channels.contains(where: { $0.kind != .constant && $0.kind != .substitution }) ? try provider.features(of: element) : []
        var out = [Double](repeating: 0, count: channels.count)
        for (c, ch) in channels.enumerated() {
            switch ch.kind {
            case .constant: out[c] = 1
            case .substitution: out[c] = element == host ? 0 : 1
            case .absolute: out[c] = f[featureIndex[c]] / ch.scale
            case .relativeToHost: out[c] = (f[featureIndex[c]] - hostValues[c]) / ch.scale
            }
        }
        return out
    }
}
