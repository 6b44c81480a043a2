import Storage

/// The physics content of a pair record or of a host artifact, opaque to the batch runner:
/// named n-dimensional Double arrays plus Double and String attributes. The physics layer fills
/// it; the runner stores it under the record's `data` group (arrays as datasets, attributes on
/// the group) and reads it back bit-exactly.
///
/// Array names are object paths relative to `data` and may contain "/" to make subgroups
/// ("shell1/dvRy"). Names use letters, digits, "_", "-", "." (not "." or ".." alone).
public struct RecordPayload: Sendable, Equatable {
    public var arrays: [String: HDF5Array<Double>]
    public var doubleAttributes: [String: Double]
    public var stringAttributes: [String: String]

    public init(arrays: [String: HDF5Array<Double>] = [:], doubleAttributes: [String: Double] = [:],
                stringAttributes: [String: String] = [:]) {
        self.arrays = arrays
        self.doubleAttributes = doubleAttributes
        self.stringAttributes = stringAttributes
    }

    public static let empty = RecordPayload()

    /// Adds an array (row-major `values`; default shape [values.count]).
    public mutating func setArray(_ name: String, _ values: [Double], shape: [Int]? = nil) {
        arrays[name] = HDF5Array(shape: shape ?? [values.count], values: values)
    }

    /// Throws if a name is not storable or an array name is also a prefix group of another
    /// ("a" and "a/b"), or a double and a string attribute share a name.
    public func validate() throws {
        for name in arrays.keys {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy(RecordPayload.isValidComponent) else {
                throw BatchError(.invalidArgument, "payload array name '\(name)': use letters, digits, _ - . and / between components")
            }
            if arrays.keys.contains(where: { $0.hasPrefix(name + "/") }) {
                throw BatchError(.invalidArgument, "payload array '\(name)' is also used as a group of another array")
            }
        }
        for name in Array(doubleAttributes.keys) + Array(stringAttributes.keys) where !RecordPayload.isValidComponent(Substring(name)) {
            throw BatchError(.invalidArgument, "payload attribute name '\(name)': use letters, digits, _ - .")
        }
        if let clash = doubleAttributes.keys.first(where: { stringAttributes[$0] != nil }) {
            throw BatchError(.invalidArgument, "payload attribute '\(clash)' is both a Double and a String attribute")
        }
        for (name, value) in stringAttributes where value.utf8.contains(0) {
            throw BatchError(.invalidArgument, "payload attribute '\(name)' contains a NUL character")
        }
    }

    static func isValidComponent(_ s: Substring) -> Bool {
        !s.isEmpty && s != "." && s != ".." && s.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_-.".unicodeScalars.contains($0)
        }
    }

    /// Bit-exact equality (NaN payloads and −0 distinguished), unlike `==` on Doubles. This is
    /// the notion of "identical" that merging uses.
    public func isBitwiseIdentical(to other: RecordPayload) -> Bool {
        guard arrays.count == other.arrays.count, doubleAttributes.count == other.doubleAttributes.count,
              stringAttributes == other.stringAttributes else { return false }
        for (name, a) in arrays {
            guard let b = other.arrays[name], a.shape == b.shape,
                  a.values.elementsEqual(b.values, by: { $0.bitPattern == $1.bitPattern }) else { return false }
        }
        for (name, a) in doubleAttributes {
            guard let b = other.doubleAttributes[name], a.bitPattern == b.bitPattern else { return false }
        }
        return true
    }

    // MARK: HDF5

    /// Writes the payload into the (new) group `group` of `file`.
    func write(to file: HDF5File, group: String) throws {
        try validate()
        try file.createGroup(group)
        for name in arrays.keys.sorted() {
            let array = arrays[name]!
            try file.write(array.values, shape: array.shape, to: "\(group)/\(name)")
        }
        for (name, value) in doubleAttributes { try file.setAttribute(name, value, on: group) }
        for (name, value) in stringAttributes { try file.setAttribute(name, value, on: group) }
    }

    /// Reads a payload written by `write(to:group:)` (datasets below `group` recursively;
    /// attributes of `group` as Double or String).
    static func read(from file: HDF5File, group: String) throws -> RecordPayload {
        var payload = RecordPayload()
        func walk(_ path: String, prefix: String) throws {
            for child in try file.children(of: path) {
                let full = "\(path)/\(child)", name = prefix.isEmpty ? child : "\(prefix)/\(child)"
                switch try file.kind(of: full) {
                case .group: try walk(full, prefix: name)
                case .dataset: payload.arrays[name] = try file.read(Double.self, from: full)
                default: continue
                }
            }
        }
        try walk(group, prefix: "")
        for name in try file.attributeNames(of: group) {
            do {
                payload.stringAttributes[name] = try file.stringAttribute(name, of: group)
            } catch let e as StorageError where e.kind == .typeMismatch {
                payload.doubleAttributes[name] = try file.attribute(name, of: group, as: Double.self)
            }
        }
        return payload
    }
}
