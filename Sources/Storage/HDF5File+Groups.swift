import CHDF5

/// What an object path refers to.
public enum HDF5ObjectKind: Sendable, Equatable {
    case group, dataset, namedDatatype
}

extension HDF5File {
    /// True if every component of `path` exists ("/" always exists).
    public func exists(_ path: String) throws -> Bool {
        let fid = try openID(for: "check existence", object: path)
        let abs = try absolutePath(path, for: "check existence")
        return try linkExists(fid, abs)
    }

    func linkExists(_ fid: hid_t, _ abs: String) throws -> Bool {
        if abs == "/" { return true }
        var prefix = ""
        for part in abs.dropFirst().split(separator: "/") {
            prefix += "/" + part
            let r = H5Lexists(fid, prefix, chdf5_P_DEFAULT)
            if r < 0 { throw libraryError("check existence", object: prefix) }
            if r == 0 { return false }
        }
        return true
    }

    /// The kind of object at `path`, or nil if nothing is there.
    public func kind(of path: String) throws -> HDF5ObjectKind? {
        let fid = try openID(for: "inspect object", object: path)
        let abs = try absolutePath(path, for: "inspect object")
        guard try linkExists(fid, abs) else { return nil }
        let oid = H5Oopen(fid, abs, chdf5_P_DEFAULT)
        guard oid >= 0 else { throw libraryError("open object", object: abs) }
        defer { _ = H5Oclose(oid) }
        switch H5Iget_type(oid) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        case H5I_DATATYPE: return .namedDatatype
        default: throw error(.library, "inspect object", object: abs, "unknown object type")
        }
    }

    /// Creates the group at `path` and any missing parent groups ("pairs/Fe_in_Cu").
    /// Does nothing if a group already exists there; throws `.objectExists` if a dataset does.
    public func createGroup(_ path: String) throws {
        let fid = try writableID(for: "create group", object: path)
        let abs = try absolutePath(path, for: "create group")
        try ensureGroup(fid, abs)
    }

    /// Creates `abs` and its missing parents as groups.
    func ensureGroup(_ fid: hid_t, _ abs: String) throws {
        if abs == "/" { return }
        var prefix = ""
        for part in abs.dropFirst().split(separator: "/") {
            prefix += "/" + part
            let r = H5Lexists(fid, prefix, chdf5_P_DEFAULT)
            if r < 0 { throw libraryError("create group", object: prefix) }
            if r > 0 {
                guard try kind(of: prefix) == .group else {
                    throw error(.objectExists, "create group", object: prefix, "a non-group object exists at this path")
                }
                continue
            }
            let gid = H5Gcreate2(fid, prefix, chdf5_P_DEFAULT, chdf5_P_DEFAULT, chdf5_P_DEFAULT)
            guard gid >= 0 else { throw libraryError("create group", object: prefix) }
            _ = H5Gclose(gid)
        }
    }

    /// Names of the links (groups, datasets) directly below the group at `path`, sorted by name.
    public func children(of path: String = "/") throws -> [String] {
        let fid = try openID(for: "list group", object: path)
        let abs = try absolutePath(path, for: "list group")
        guard try kind(of: abs) == .group else {
            let found = try linkExists(fid, abs)
            throw error(found ? .typeMismatch : .objectNotFound, "list group", object: abs,
                        found ? "object is not a group" : "no such group")
        }
        var info = H5G_info_t()
        guard H5Gget_info_by_name(fid, abs, &info, chdf5_P_DEFAULT) >= 0 else { throw libraryError("list group", object: abs) }
        var names: [String] = []
        for i in 0..<info.nlinks {
            let n = H5Lget_name_by_idx(fid, abs, H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, chdf5_P_DEFAULT)
            guard n >= 0 else { throw libraryError("list group", object: abs) }
            var buffer = [CChar](repeating: 0, count: n + 1)
            guard H5Lget_name_by_idx(fid, abs, H5_INDEX_NAME, H5_ITER_INC, i, &buffer, n + 1, chdf5_P_DEFAULT) >= 0 else {
                throw libraryError("list group", object: abs)
            }
            names.append(String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    /// Removes the link at `path` (a dataset or a whole group). The space is not reclaimed in the
    /// file (HDF5 limitation; rewrite the file with `HDF5File.writeAtomically` to compact it).
    public func remove(_ path: String) throws {
        let fid = try writableID(for: "remove object", object: path)
        let abs = try absolutePath(path, for: "remove object")
        guard abs != "/" else { throw error(.invalidArgument, "remove object", object: abs, "cannot remove the root group") }
        guard try linkExists(fid, abs) else { throw error(.objectNotFound, "remove object", object: abs, "no such object") }
        if H5Ldelete(fid, abs, chdf5_P_DEFAULT) < 0 { throw libraryError("remove object", object: abs) }
    }
}
