/// An error from the HDF5 storage layer: which file, which object, what was attempted, and why.
///
/// `description` reads like "results.h5, object /pairs/Fe_in_Cu/dv: cannot read dataset as Double:
/// stored element type is 64-bit integer".
public struct StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Equatable, Sendable {
        case fileNotFound, fileExists, notAnHDF5File, fileClosed, readOnly
        case objectNotFound, objectExists, typeMismatch, shapeMismatch, invalidArgument
        /// The HDF5 library reported an error (message in `detail`).
        case library
        /// A POSIX file-system call failed (message in `detail`).
        case fileSystem
    }

    public let kind: Kind
    /// File path as given by the caller.
    public let file: String
    /// Absolute object path inside the file ("/pairs/Fe_in_Cu"), or nil for file-level errors.
    public let object: String?
    /// What was attempted, e.g. "create dataset".
    public let operation: String
    /// Why it failed: the HDF5 error-stack message or an explanation.
    public let detail: String

    public init(_ kind: Kind, file: String, object: String? = nil, operation: String, detail: String) {
        self.kind = kind
        self.file = file
        self.object = object
        self.operation = operation
        self.detail = detail
    }

    public var description: String {
        let location = object.map { "\(file), object \($0)" } ?? file
        return "\(location): cannot \(operation): \(detail)"
    }
}
