/// Errors of the emulator: targets, data sets, training and model files. Each message names what
/// is wrong, where, and what to do.
public enum EmulatorError: Error, Equatable, CustomStringConvertible {
    /// Arrays of inconsistent length or shape (where, what was expected, what was found).
    case shapeMismatch(String)
    /// A parameter or input value is not admissible (message explains).
    case invalidInput(String)
    /// A data-set or model file is not what the reader expects (file, object, detail).
    case corruptFile(file: String, detail: String)
    /// A file was written by an incompatible format version.
    case unsupportedVersion(file: String, kind: String, found: Int, supported: Int)
    /// Two records with the same (host, impurity) key.
    case duplicateRecord(key: String, detail: String)
    /// Training failed (message explains why and what to change).
    case training(String)
    /// The model cannot make this prediction (message explains).
    case prediction(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let s): return "shape mismatch: \(s)"
        case .invalidInput(let s): return s
        case .corruptFile(let file, let detail):
            return "\(file): \(detail) (the file is damaged or was not written by kkr-emulator; regenerate it)"
        case .unsupportedVersion(let file, let kind, let found, let supported):
            return "\(file): \(kind) format version \(found) is not supported (this build reads version \(supported)); "
                + "use a matching kkr-emulator version or regenerate the file"
        case .duplicateRecord(let key, let detail):
            return "duplicate record \(key): \(detail)"
        case .training(let s): return "training failed: \(s)"
        case .prediction(let s): return "cannot predict: \(s)"
        }
    }
}
