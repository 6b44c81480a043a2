import Descriptors
import Elements

/// The element features a model was trained with, as stored in the model file: the provider's
/// feature names and the vectors of every element met in training. It serves as the model's
/// default provider: stored elements give their stored vectors; other elements work only if the
/// names are exactly the tabulated `Element.propertyNames` (then `Element.propertyVector` is used).
public struct StoredElementFeatures: ElementFeatureProvider, Equatable {
    public let featureNames: [String]
    /// Vectors by element symbol.
    public let values: [String: [Double]]

    public init(featureNames: [String], values: [String: [Double]]) throws {
        guard Set(featureNames).count == featureNames.count else {
            throw EmulatorError.invalidInput("element feature names repeat: \(featureNames)")
        }
        for (symbol, v) in values where v.count != featureNames.count || !v.allSatisfy(\.isFinite) {
            throw EmulatorError.shapeMismatch("stored element features of \(symbol): \(v.count) values for "
                + "\(featureNames.count) names (or non-finite values)")
        }
        self.featureNames = featureNames
        self.values = values
    }

    /// Evaluates `provider` on `elements` and stores the result.
    public init(provider: any ElementFeatureProvider, elements: [Element]) throws {
        var v: [String: [Double]] = [:]
        for e in elements { v[e.symbol] = try provider.features(of: e) }
        try self.init(featureNames: provider.featureNames, values: v)
    }

    public func features(of element: Element) throws -> [Double] {
        if let v = values[element.symbol] { return v }
        if featureNames == Element.propertyNames { return element.propertyVector }
        throw DescriptorError.missingElementFeatures(
            element: element.symbol,
            detail: "the model stores its extra element features (\(featureNames.filter { !Element.propertyNames.contains($0) })"
                + ") only for its training elements \(values.keys.sorted()); pass a provider (ElementFeatureTable) that has them")
    }
}
