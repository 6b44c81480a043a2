import CHDF5
import Foundation

/// An open dataset or attribute id with the operations that datasets and attributes share
/// (type, dataspace, read, write), and the element codecs built on them. Internal: every
/// `DataHandle` is closed before the public call that opened it returns.
struct DataHandle {
    enum Kind { case dataset, attribute }
    let id: hid_t
    let kind: Kind

    func close() {
        _ = kind == .dataset ? H5Dclose(id) : H5Aclose(id)
    }

    /// A new copy of the stored datatype (caller closes).
    func fileType() -> hid_t { kind == .dataset ? H5Dget_type(id) : H5Aget_type(id) }
    /// A new copy of the dataspace (caller closes).
    func dataspace() -> hid_t { kind == .dataset ? H5Dget_space(id) : H5Aget_space(id) }

    func write(_ memType: hid_t, _ buffer: UnsafeRawPointer?) -> herr_t {
        kind == .dataset
            ? H5Dwrite(id, memType, chdf5_S_ALL, chdf5_S_ALL, chdf5_P_DEFAULT, buffer)
            : H5Awrite(id, memType, buffer)
    }

    func read(_ memType: hid_t, _ buffer: UnsafeMutableRawPointer?) -> herr_t {
        kind == .dataset
            ? H5Dread(id, memType, chdf5_S_ALL, chdf5_S_ALL, chdf5_P_DEFAULT, buffer)
            : H5Aread(id, memType, buffer)
    }

    /// Shape of a dataspace: [] for a scalar, [0] for a null dataspace, else the extents.
    static func shape(of space: hid_t) -> [Int]? {
        switch H5Sget_simple_extent_type(space) {
        case H5S_SCALAR: return []
        case H5S_NULL: return [0]
        case H5S_SIMPLE:
            let rank = Int(H5Sget_simple_extent_ndims(space))
            guard rank >= 0 else { return nil }
            var dims = [hsize_t](repeating: 0, count: max(rank, 1))
            guard H5Sget_simple_extent_dims(space, &dims, nil) >= 0 else { return nil }
            return dims.prefix(rank).map { Int($0) }
        default: return nil
        }
    }

    /// A dataspace for `shape` (scalar for []); caller closes.
    static func makeSpace(_ shape: [Int]) -> hid_t {
        if shape.isEmpty { return H5Screate(H5S_SCALAR) }
        let dims = shape.map { hsize_t($0) }
        return H5Screate_simple(Int32(dims.count), dims, nil)
    }

    /// A variable-length UTF-8 string type; caller closes.
    static func makeStringType() -> hid_t {
        let t = H5Tcopy(chdf5_T_C_S1())
        _ = H5Tset_size(t, -1)            // H5T_VARIABLE = (size_t)(−1)
        _ = H5Tset_cset(t, H5T_CSET_UTF8)
        _ = H5Tset_strpad(t, H5T_STR_NULLTERM)
        return t
    }

    /// Stored element type and shape, or an error message.
    func describe() -> (StoredElementType, [Int])? {
        let t = fileType()
        guard t >= 0 else { return nil }
        defer { _ = H5Tclose(t) }
        let s = dataspace()
        guard s >= 0 else { return nil }
        defer { _ = H5Sclose(s) }
        guard let shape = DataHandle.shape(of: s) else { return nil }
        return (StoredElementType(typeID: t), shape)
    }

    /// Reads all elements as `T` (the stored type must be readable without loss). Returns nil on
    /// an HDF5 failure (error stack not yet cleared).
    func readNumeric<T: HDF5Numeric>(_: T.Type, count: Int) -> [T]? {
        if count == 0 { return [] }
        var ok = true
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialised in
            ok = read(T.hdf5Kind.nativeType, UnsafeMutableRawPointer(buffer.baseAddress!)) >= 0
            if !ok { UnsafeMutableRawPointer(buffer.baseAddress!).initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<T>.stride) }
            initialised = count
        }
        return ok ? values : nil
    }

    func writeNumeric<T: HDF5Numeric>(_ values: [T]) -> Bool {
        if values.isEmpty { return true }
        return values.withUnsafeBytes { write(T.hdf5Kind.nativeType, $0.baseAddress) } >= 0
    }

    /// Writes strings as variable-length UTF-8 (the memory type is the same vlen type).
    func writeStrings(_ strings: [String], memType: hid_t) -> Bool {
        if strings.isEmpty { return true }
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBytes { write(memType, $0.baseAddress) } >= 0
    }

    /// Reads strings stored as variable- or fixed-length (null-terminated, null- or space-padded).
    func readStrings(count: Int) -> [String]? {
        if count == 0 { return [] }
        let ft = fileType()
        guard ft >= 0 else { return nil }
        defer { _ = H5Tclose(ft) }
        if H5Tis_variable_str(ft) > 0 {
            let mem = DataHandle.makeStringType()
            defer { _ = H5Tclose(mem) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBytes { read(mem, $0.baseAddress) }
            guard status >= 0 else { return nil }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            let space = dataspace()
            pointers.withUnsafeMutableBytes { _ = H5Dvlen_reclaim(mem, space, chdf5_P_DEFAULT, $0.baseAddress) }
            _ = H5Sclose(space)
            return strings
        }
        let size = H5Tget_size(ft)
        let pad = H5Tget_strpad(ft)
        let mem = H5Tcopy(chdf5_T_C_S1())
        defer { _ = H5Tclose(mem) }
        _ = H5Tset_size(mem, size)
        _ = H5Tset_strpad(mem, pad)
        _ = H5Tset_cset(mem, H5Tget_cset(ft))
        var bytes = [UInt8](repeating: 0, count: size * count)
        let status = bytes.withUnsafeMutableBytes { read(mem, $0.baseAddress) }
        guard status >= 0 else { return nil }
        return (0..<count).map { i in
            var field = bytes[(i * size)..<((i + 1) * size)]
            if let nul = field.firstIndex(of: 0) { field = field[..<nul] }
            if pad == H5T_STR_SPACEPAD { while field.last == 0x20 { field = field.dropLast() } }
            return String(decoding: field, as: UTF8.self)
        }
    }
}
