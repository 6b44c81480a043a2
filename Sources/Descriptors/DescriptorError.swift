/// Errors of descriptor construction and evaluation. Every message says what is wrong and what
/// to do about it.
public enum DescriptorError: Error, Equatable, CustomStringConvertible {
    /// A hyper-parameter is outside its admissible range (message explains the range).
    case invalidParameter(String)
    /// An element feature (by name) is not offered by the element-feature provider.
    case unknownFeature(name: String, available: [String])
    /// The provider has no feature values for an element.
    case missingElementFeatures(element: String, detail: String)
    /// Inconsistent input (message explains).
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidParameter(let s):
            return "invalid descriptor parameter: \(s)"
        case .unknownFeature(let name, let available):
            return "element feature '\(name)' is not provided (available: \(available.joined(separator: ", "))); "
                + "pass an ElementFeatureTable with this extra feature or remove it from the species channels"
        case .missingElementFeatures(let element, let detail):
            return "no element features for \(element): \(detail)"
        case .invalidInput(let s):
            return s
        }
    }
}
