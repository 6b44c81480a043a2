import CHDF5

extension HDF5File {
    // MARK: Writing

    /// Writes a numeric n-dimensional dataset (row-major `values`, last index fastest; default
    /// shape [values.count]; shape [] writes a scalar). Missing parent groups are created. An
    /// existing object at `path` is an error unless `overwrite` (then it is replaced).
    /// Values are stored as the native type of the same size: round trips are bit-exact.
    public func write<T: HDF5Numeric>(_ values: [T], shape: [Int]? = nil, to path: String,
                                      compression: HDF5Compression = .none, overwrite: Bool = false) throws {
        let op = "write \(T.hdf5Kind.name) dataset"
        let shape = shape ?? [values.count]
        let (fid, abs) = try prepareDataset(path, shape: shape, count: values.count, overwrite: overwrite, operation: op)
        let dcpl = try makeCreationProperties(shape: shape, elementSize: MemoryLayout<T>.size, compression: compression,
                                              operation: op, object: abs)
        defer { if dcpl != chdf5_P_DEFAULT { _ = H5Pclose(dcpl) } }
        let handle = try createDataset(fid, abs, type: T.hdf5Kind.nativeType, shape: shape, dcpl: dcpl, operation: op)
        defer { handle.close() }
        guard handle.writeNumeric(values) else { throw libraryError(op, object: abs) }
    }

    /// Writes a scalar numeric dataset (shape []).
    public func write<T: HDF5Numeric>(scalar value: T, to path: String, overwrite: Bool = false) throws {
        try write([value], shape: [], to: path, overwrite: overwrite)
    }

    /// Writes a string dataset as variable-length UTF-8 strings (h5py reads them as `str`).
    /// Strings must not contain NUL characters (C strings).
    public func write(_ strings: [String], shape: [Int]? = nil, to path: String, overwrite: Bool = false) throws {
        let op = "write string dataset"
        let shape = shape ?? [strings.count]
        if let bad = strings.first(where: { $0.utf8.contains(0) }) {
            throw error(.invalidArgument, op, object: path, "string contains a NUL character: \(bad.debugDescription)")
        }
        let (fid, abs) = try prepareDataset(path, shape: shape, count: strings.count, overwrite: overwrite, operation: op)
        let type = DataHandle.makeStringType()
        defer { _ = H5Tclose(type) }
        let handle = try createDataset(fid, abs, type: type, shape: shape, dcpl: chdf5_P_DEFAULT, operation: op)
        defer { handle.close() }
        guard handle.writeStrings(strings, memType: type) else { throw libraryError(op, object: abs) }
    }

    /// Writes a scalar string dataset.
    public func write(string: String, to path: String, overwrite: Bool = false) throws {
        try write([string], shape: [], to: path, overwrite: overwrite)
    }

    // MARK: Reading

    /// Reads a numeric dataset with its shape. The stored type must convert to `T` without loss
    /// (floats as Double; integers as Int64/Int32 when they fit), else `.typeMismatch`.
    public func read<T: HDF5Numeric>(_ type: T.Type, from path: String) throws -> HDF5Array<T> {
        let op = "read dataset as \(T.hdf5Kind.name)"
        let (handle, abs) = try openDataset(path, operation: op)
        defer { handle.close() }
        guard let (stored, shape) = handle.describe() else { throw libraryError(op, object: abs) }
        guard T.hdf5Kind.canRead(stored) else {
            throw error(.typeMismatch, op, object: abs, "stored element type is \(stored)")
        }
        guard let values = handle.readNumeric(T.self, count: shape.reduce(1, *)) else { throw libraryError(op, object: abs) }
        return HDF5Array(shape: shape, values: values)
    }

    /// Reads a scalar (or one-element) numeric dataset.
    public func readScalar<T: HDF5Numeric>(_ type: T.Type, from path: String) throws -> T {
        let a = try read(type, from: path)
        guard a.count == 1 else {
            throw error(.shapeMismatch, "read scalar", object: path, "dataset has shape \(a.shape), expected one element")
        }
        return a.values[0]
    }

    /// Reads a string dataset (variable- or fixed-length strings) with its shape.
    public func readStrings(from path: String) throws -> HDF5Array<String> {
        let op = "read string dataset"
        let (handle, abs) = try openDataset(path, operation: op)
        defer { handle.close() }
        guard let (stored, shape) = handle.describe() else { throw libraryError(op, object: abs) }
        guard case .string = stored else { throw error(.typeMismatch, op, object: abs, "stored element type is \(stored)") }
        guard let values = handle.readStrings(count: shape.reduce(1, *)) else { throw libraryError(op, object: abs) }
        return HDF5Array(shape: shape, values: values)
    }

    /// Reads a scalar (or one-element) string dataset.
    public func readString(from path: String) throws -> String {
        let a = try readStrings(from: path)
        guard a.count == 1 else {
            throw error(.shapeMismatch, "read string", object: path, "dataset has shape \(a.shape), expected one element")
        }
        return a.values[0]
    }

    /// Shape and stored element type of a dataset.
    public func datasetInfo(_ path: String) throws -> (shape: [Int], elementType: StoredElementType) {
        let op = "inspect dataset"
        let (handle, abs) = try openDataset(path, operation: op)
        defer { handle.close() }
        guard let (stored, shape) = handle.describe() else { throw libraryError(op, object: abs) }
        return (shape, stored)
    }

    /// True if the dataset at `path` is stored with the deflate filter.
    public func isCompressed(_ path: String) throws -> Bool {
        let op = "inspect dataset"
        let (handle, abs) = try openDataset(path, operation: op)
        defer { handle.close() }
        let plist = H5Dget_create_plist(handle.id)
        guard plist >= 0 else { throw libraryError(op, object: abs) }
        defer { _ = H5Pclose(plist) }
        let n = H5Pget_nfilters(plist)
        for i in 0..<max(0, n) {
            var flags: UInt32 = 0
            var nelmts = 0
            var config: UInt32 = 0
            var name = [CChar](repeating: 0, count: 64)
            if H5Pget_filter2(plist, UInt32(i), &flags, &nelmts, nil, 64, &name, &config) == H5Z_FILTER_DEFLATE { return true }
        }
        return false
    }

    // MARK: Helpers

    private func prepareDataset(_ path: String, shape: [Int], count: Int, overwrite: Bool,
                                operation op: String) throws -> (hid_t, String) {
        let fid = try writableID(for: op, object: path)
        let abs = try absolutePath(path, for: op)
        guard abs != "/" else { throw error(.invalidArgument, op, object: abs, "the root group cannot be a dataset") }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
            throw error(.shapeMismatch, op, object: abs, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(count)")
        }
        try ensureGroup(fid, HDF5File.parent(of: abs))
        if try linkExists(fid, abs) {
            guard overwrite else {
                throw error(.objectExists, op, object: abs, "an object exists at this path (pass overwrite: true to replace it)")
            }
            if H5Ldelete(fid, abs, chdf5_P_DEFAULT) < 0 { throw libraryError(op, object: abs) }
        }
        return (fid, abs)
    }

    private func createDataset(_ fid: hid_t, _ abs: String, type: hid_t, shape: [Int], dcpl: hid_t,
                               operation op: String) throws -> DataHandle {
        let space = DataHandle.makeSpace(shape)
        guard space >= 0 else { throw libraryError(op, object: abs) }
        defer { _ = H5Sclose(space) }
        let did = H5Dcreate2(fid, abs, type, space, chdf5_P_DEFAULT, dcpl, chdf5_P_DEFAULT)
        guard did >= 0 else { throw libraryError(op, object: abs) }
        return DataHandle(id: did, kind: .dataset)
    }

    func openDataset(_ path: String, operation op: String) throws -> (DataHandle, String) {
        let fid = try openID(for: op, object: path)
        let abs = try absolutePath(path, for: op)
        switch try kind(of: abs) {
        case nil: throw error(.objectNotFound, op, object: abs, "no such dataset")
        case .dataset?: break
        case .some(let k): throw error(.typeMismatch, op, object: abs, "object is a \(k), not a dataset")
        }
        let did = H5Dopen2(fid, abs, chdf5_P_DEFAULT)
        guard did >= 0 else { throw libraryError(op, object: abs) }
        return (DataHandle(id: did, kind: .dataset), abs)
    }

    /// Dataset-creation property list for chunked deflate compression, or H5P_DEFAULT.
    private func makeCreationProperties(shape: [Int], elementSize: Int, compression: HDF5Compression,
                                        operation op: String, object abs: String) throws -> hid_t {
        guard case .deflate(let level, let requestedChunk) = compression,
              !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else { return chdf5_P_DEFAULT }
        guard (0...9).contains(level) else { throw error(.invalidArgument, op, object: abs, "deflate level \(level) not in 0…9") }
        guard H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 else {
            _ = H5Eclear2(chdf5_E_DEFAULT)
            throw error(.library, op, object: abs, "the HDF5 library has no deflate (zlib) filter")
        }
        var chunk = requestedChunk ?? shape
        if let rc = requestedChunk {
            guard rc.count == shape.count, zip(rc, shape).allSatisfy({ $0 >= 1 && $0 <= $1 }) else {
                throw error(.invalidArgument, op, object: abs, "chunk shape \(rc) does not fit dataset shape \(shape)")
            }
        } else {
            // Halve leading extents until a chunk is at most 1 MiB.
            var i = 0
            while chunk.reduce(elementSize, *) > 1 << 20, i < chunk.count {
                if chunk[i] > 1 { chunk[i] = (chunk[i] + 1) / 2 } else { i += 1 }
            }
        }
        let dcpl = H5Pcreate(chdf5_P_DATASET_CREATE())
        guard dcpl >= 0 else { throw libraryError(op, object: abs) }
        let dims = chunk.map { hsize_t($0) }
        guard H5Pset_chunk(dcpl, Int32(dims.count), dims) >= 0, H5Pset_deflate(dcpl, UInt32(level)) >= 0 else {
            _ = H5Pclose(dcpl)
            throw libraryError(op, object: abs)
        }
        return dcpl
    }
}
