import CHDF5

/// The numeric element types that datasets and attributes store.
public enum HDF5NumericKind: Sendable {
    case double, int64, int32
}

/// A numeric type that can be stored bit-exactly in HDF5 (as the native little-endian type of
/// the same size): `Double`, `Int64`, `Int32`.
public protocol HDF5Numeric: Sendable, Equatable {
    static var hdf5Kind: HDF5NumericKind { get }
}

extension Double: HDF5Numeric { public static var hdf5Kind: HDF5NumericKind { .double } }
extension Int64: HDF5Numeric { public static var hdf5Kind: HDF5NumericKind { .int64 } }
extension Int32: HDF5Numeric { public static var hdf5Kind: HDF5NumericKind { .int32 } }

extension HDF5NumericKind {
    /// The HDF5 native memory type (not to be closed).
    var nativeType: hid_t {
        switch self {
        case .double: return chdf5_T_NATIVE_DOUBLE()
        case .int64: return chdf5_T_NATIVE_INT64()
        case .int32: return chdf5_T_NATIVE_INT()
        }
    }

    var name: String {
        switch self {
        case .double: return "Double"
        case .int64: return "Int64"
        case .int32: return "Int32"
        }
    }

    /// Whether a stored type can be read as this kind without loss: floats (≤ 8 bytes) as Double;
    /// signed integers up to the size, or unsigned integers of less than the size, as integers.
    /// (HDF5 would otherwise convert silently, clamping out-of-range integers.)
    func canRead(_ stored: StoredElementType) -> Bool {
        switch (self, stored) {
        case (.double, .float(let bytes)): return bytes <= 8
        case (.int64, .integer(let bytes, let signed)): return signed ? bytes <= 8 : bytes < 8
        case (.int32, .integer(let bytes, let signed)): return signed ? bytes <= 4 : bytes < 4
        default: return false
        }
    }
}

/// The element type of a stored dataset or attribute.
public enum StoredElementType: Equatable, Sendable, CustomStringConvertible {
    case float(bytes: Int)
    case integer(bytes: Int, signed: Bool)
    case string(variableLength: Bool)
    case other(String)

    public var description: String {
        switch self {
        case .float(let b): return "\(8 * b)-bit float"
        case .integer(let b, let s): return "\(8 * b)-bit \(s ? "" : "unsigned ")integer"
        case .string(let v): return v ? "variable-length string" : "fixed-length string"
        case .other(let s): return s
        }
    }

    /// Classifies an HDF5 datatype id.
    init(typeID t: hid_t) {
        let size = H5Tget_size(t)
        switch H5Tget_class(t) {
        case H5T_FLOAT: self = .float(bytes: size)
        case H5T_INTEGER: self = .integer(bytes: size, signed: H5Tget_sign(t) == H5T_SGN_2)
        case H5T_STRING: self = .string(variableLength: H5Tis_variable_str(t) > 0)
        default: self = .other("HDF5 type class \(H5Tget_class(t).rawValue)")
        }
    }
}

/// An n-dimensional array read from or written to HDF5: `values` in row-major (C, HDF5) order,
/// the last index varying fastest. `shape == []` is a scalar (one value).
public struct HDF5Array<Element: Sendable & Equatable>: Equatable, Sendable {
    public let shape: [Int]
    public let values: [Element]

    public init(shape: [Int], values: [Element]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }

    public var rank: Int { shape.count }
    public var count: Int { values.count }

    /// Element at a multi-index (row-major).
    public subscript(_ index: Int...) -> Element {
        precondition(index.count == shape.count, "need \(shape.count) indices")
        var flat = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "index \(i) out of range 0..<\(n)")
            flat = flat * n + i
        }
        return values[flat]
    }
}

/// Optional compression of numeric datasets.
public enum HDF5Compression: Sendable, Equatable {
    case none
    /// zlib deflate (level 1…9) of chunks; `chunkShape` nil picks chunks of at most ~1 MiB that span
    /// the trailing dimensions. Ignored for scalars and arrays with a zero extent.
    case deflate(level: Int = 4, chunkShape: [Int]? = nil)
}
