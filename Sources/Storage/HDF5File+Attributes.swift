import CHDF5

extension HDF5File {
    /// Sets a scalar numeric attribute on the file root ("/"), a group or a dataset, replacing an
    /// attribute of the same name.
    public func setAttribute<T: HDF5Numeric>(_ name: String, _ value: T, on path: String = "/") throws {
        try setNumericAttribute(name, [value], shape: [], on: path)
    }

    /// Sets a 1-D numeric array attribute (may be empty).
    public func setAttribute<T: HDF5Numeric>(_ name: String, _ values: [T], on path: String = "/") throws {
        try setNumericAttribute(name, values, shape: [values.count], on: path)
    }

    /// Sets a scalar string attribute (variable-length UTF-8, no NUL characters).
    public func setAttribute(_ name: String, _ value: String, on path: String = "/") throws {
        let op = "write string attribute \"\(name)\""
        if value.utf8.contains(0) { throw error(.invalidArgument, op, object: path, "string contains a NUL character") }
        let type = DataHandle.makeStringType()
        defer { _ = H5Tclose(type) }
        let (handle, abs) = try createAttribute(name, type: type, shape: [], on: path, operation: op)
        defer { handle.close() }
        guard handle.writeStrings([value], memType: type) else { throw libraryError(op, object: abs) }
    }

    /// A scalar (or one-element) numeric attribute.
    public func attribute<T: HDF5Numeric>(_ name: String, of path: String = "/", as type: T.Type) throws -> T {
        let values = try attributeArray(name, of: path, as: type)
        guard values.count == 1 else {
            throw error(.shapeMismatch, "read attribute \"\(name)\"", object: path, "attribute has \(values.count) elements, expected 1")
        }
        return values[0]
    }

    /// A numeric attribute as a flat array (row-major for multi-dimensional attributes).
    public func attributeArray<T: HDF5Numeric>(_ name: String, of path: String = "/", as type: T.Type) throws -> [T] {
        let op = "read attribute \"\(name)\" as \(T.hdf5Kind.name)"
        let (handle, abs) = try openAttribute(name, of: path, operation: op)
        defer { handle.close() }
        guard let (stored, shape) = handle.describe() else { throw libraryError(op, object: abs) }
        guard T.hdf5Kind.canRead(stored) else { throw error(.typeMismatch, op, object: abs, "stored element type is \(stored)") }
        guard let values = handle.readNumeric(T.self, count: shape.reduce(1, *)) else { throw libraryError(op, object: abs) }
        return values
    }

    /// A scalar (or one-element) string attribute, variable- or fixed-length.
    public func stringAttribute(_ name: String, of path: String = "/") throws -> String {
        let op = "read string attribute \"\(name)\""
        let (handle, abs) = try openAttribute(name, of: path, operation: op)
        defer { handle.close() }
        guard let (stored, shape) = handle.describe() else { throw libraryError(op, object: abs) }
        guard case .string = stored else { throw error(.typeMismatch, op, object: abs, "stored element type is \(stored)") }
        guard shape.reduce(1, *) == 1 else { throw error(.shapeMismatch, op, object: abs, "attribute has shape \(shape)") }
        guard let values = handle.readStrings(count: 1) else { throw libraryError(op, object: abs) }
        return values[0]
    }

    /// True if the object at `path` has an attribute `name`.
    public func hasAttribute(_ name: String, on path: String = "/") throws -> Bool {
        let op = "check attribute \"\(name)\""
        let fid = try openID(for: op, object: path)
        let abs = try absolutePath(path, for: op)
        guard try linkExists(fid, abs) else { throw error(.objectNotFound, op, object: abs, "no such object") }
        let r = H5Aexists_by_name(fid, abs, name, chdf5_P_DEFAULT)
        if r < 0 { throw libraryError(op, object: abs) }
        return r > 0
    }

    /// Names of the attributes of the object at `path`, sorted by name.
    public func attributeNames(of path: String = "/") throws -> [String] {
        let op = "list attributes"
        let fid = try openID(for: op, object: path)
        let abs = try absolutePath(path, for: op)
        guard try linkExists(fid, abs) else { throw error(.objectNotFound, op, object: abs, "no such object") }
        final class Box { var names: [String] = [] }
        let box = Box()
        let callback: H5A_operator2_t = { _, name, _, data in
            guard let name, let data else { return -1 }
            Unmanaged<Box>.fromOpaque(data).takeUnretainedValue().names.append(String(cString: name))
            return 0
        }
        var index: hsize_t = 0
        let status = H5Aiterate_by_name(fid, abs, H5_INDEX_NAME, H5_ITER_INC, &index, callback,
                                        Unmanaged.passUnretained(box).toOpaque(), chdf5_P_DEFAULT)
        if status < 0 { throw libraryError(op, object: abs) }
        return box.names
    }

    // MARK: Helpers

    private func setNumericAttribute<T: HDF5Numeric>(_ name: String, _ values: [T], shape: [Int], on path: String) throws {
        let op = "write \(T.hdf5Kind.name) attribute \"\(name)\""
        let (handle, abs) = try createAttribute(name, type: T.hdf5Kind.nativeType, shape: shape, on: path, operation: op)
        defer { handle.close() }
        guard handle.writeNumeric(values) else { throw libraryError(op, object: abs) }
    }

    private func createAttribute(_ name: String, type: hid_t, shape: [Int], on path: String,
                                 operation op: String) throws -> (DataHandle, String) {
        let fid = try writableID(for: op, object: path)
        let abs = try absolutePath(path, for: op)
        guard !name.isEmpty, !name.utf8.contains(0) else { throw error(.invalidArgument, op, object: abs, "invalid attribute name") }
        guard try linkExists(fid, abs) else { throw error(.objectNotFound, op, object: abs, "no such object") }
        let exists = H5Aexists_by_name(fid, abs, name, chdf5_P_DEFAULT)
        if exists < 0 { throw libraryError(op, object: abs) }
        if exists > 0, H5Adelete_by_name(fid, abs, name, chdf5_P_DEFAULT) < 0 { throw libraryError(op, object: abs) }
        let space = DataHandle.makeSpace(shape)
        guard space >= 0 else { throw libraryError(op, object: abs) }
        defer { _ = H5Sclose(space) }
        let aid = H5Acreate_by_name(fid, abs, name, type, space, chdf5_P_DEFAULT, chdf5_P_DEFAULT, chdf5_P_DEFAULT)
        guard aid >= 0 else { throw libraryError(op, object: abs) }
        return (DataHandle(id: aid, kind: .attribute), abs)
    }

    private func openAttribute(_ name: String, of path: String, operation op: String) throws -> (DataHandle, String) {
        guard try hasAttribute(name, on: path) else {
            throw error(.objectNotFound, op, object: try absolutePath(path, for: op), "no attribute named \"\(name)\"")
        }
        let fid = try openID(for: op, object: path)
        let abs = try absolutePath(path, for: op)
        let aid = H5Aopen_by_name(fid, abs, name, chdf5_P_DEFAULT, chdf5_P_DEFAULT)
        guard aid >= 0 else { throw libraryError(op, object: abs) }
        return (DataHandle(id: aid, kind: .attribute), abs)
    }
}
