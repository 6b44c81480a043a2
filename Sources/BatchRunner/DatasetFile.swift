import Foundation
import Storage

/// The HDF5 layout shared by shard files, pending one-record files and merged datasets
/// (docs/dataset.md, "File layout"):
///
///     /                       format = "kkr-emulator-dataset", formatVersion = 1,
///                             content = "shard" | "pending" | "merged", createdAtUnix,
///                             [shard = "i/N", codeVersion, settingsJSON]   (shard, pending)
///     /pairs/<Cu-fcc__Fe>/    pair = "Cu-fcc/Fe", host = "Cu", hostLattice = "fcc",
///                             impurity = "Fe", hostZ, impurityZ, status = "ok" | "failed",
///                             [error], wallSeconds, finishedAtUnix, machine,
///                             codeVersion, settingsJSON
///     /pairs/<Cu-fcc__Fe>/data/…   the payload: datasets (Double, any shape) and attributes
///
/// A host artifact file (`hosts/Cu-fcc.h5`) has format = "kkr-emulator-host", host,
/// codeVersion, settingsJSON, createdAtUnix on the root and the payload in `/data`.
public enum DatasetFile {
    public static let format = "kkr-emulator-dataset"
    public static let hostFormat = "kkr-emulator-host"
    public static let formatVersion: Int64 = 1

    /// What a dataset file holds.
    public enum Content: String, Sendable {
        /// All records of one shard (`shards/shard-0002-of-0008.h5`).
        case shard
        /// One record not yet consolidated into its shard file (`pending/<shard>/<pair>.h5`).
        case pending
        /// The output of `dataset merge`.
        case merged
    }

    /// Root attributes of a dataset file.
    public struct Header: Sendable, Equatable {
        public var content: Content
        public var shard: Shard?
        /// The run's provenance (shard and pending files); merged files keep it per record only.
        public var provenance: Provenance?
        public var createdAtUnix: Double

        public init(content: Content, shard: Shard? = nil, provenance: Provenance? = nil,
                    createdAtUnix: Double = Date().timeIntervalSince1970) {
            self.content = content
            self.shard = shard
            self.provenance = provenance
            self.createdAtUnix = createdAtUnix
        }
    }

    static func group(of pair: PairKey) -> String { "/pairs/\(pair.groupName)" }

    // MARK: Writing

    /// Creates `path` atomically (`AtomicFile`) with `header` and the records that `body`
    /// appends. Records must have distinct pairs.
    static func write(to path: String, header: Header, overwrite: Bool,
                      _ body: (_ append: (PairRecord) throws -> Void) throws -> Void) throws {
        try AtomicFile.write(to: path, overwrite: overwrite) { tmp in
            try HDF5File.withNewFile(tmp, overwrite: true) { file in
                try writeHeader(header, to: file)
                try file.createGroup("/pairs")
                try body { record in try writeRecord(record, to: file) }
            }
        }
    }

    static func writeHeader(_ header: Header, to file: HDF5File) throws {
        try file.setAttribute("format", format)
        try file.setAttribute("formatVersion", formatVersion)
        try file.setAttribute("content", header.content.rawValue)
        try file.setAttribute("createdAtUnix", header.createdAtUnix)
        if let shard = header.shard { try file.setAttribute("shard", shard.description) }
        if let p = header.provenance {
            try file.setAttribute("codeVersion", p.codeVersion)
            try file.setAttribute("settingsJSON", p.settingsJSON)
        }
    }

    static func writeRecord(_ r: PairRecord, to file: HDF5File) throws {
        let g = group(of: r.pair)
        try file.createGroup(g)
        try file.setAttribute("pair", r.pair.id, on: g)
        try file.setAttribute("host", r.pair.host.symbol, on: g)
        try file.setAttribute("hostLattice", r.pair.host.lattice.rawValue, on: g)
        try file.setAttribute("impurity", r.pair.impurity.symbol, on: g)
        try file.setAttribute("hostZ", Int64(r.pair.host.element.atomicNumber), on: g)
        try file.setAttribute("impurityZ", Int64(r.pair.impurity.atomicNumber), on: g)
        try file.setAttribute("status", r.status.rawValue, on: g)
        if let e = r.error { try file.setAttribute("error", e.replacingOccurrences(of: "\0", with: "\\0"), on: g) }
        try file.setAttribute("wallSeconds", r.wallSeconds, on: g)
        try file.setAttribute("finishedAtUnix", r.finishedAtUnix, on: g)
        try file.setAttribute("machine", r.machine, on: g)
        try file.setAttribute("codeVersion", r.provenance.codeVersion, on: g)
        try file.setAttribute("settingsJSON", r.provenance.settingsJSON, on: g)
        try r.payload.write(to: file, group: "\(g)/data")
    }

    /// Writes a host artifact file atomically; without `overwrite` an existing file throws
    /// `StorageError(.fileExists)`.
    static func writeHost(_ artifact: HostArtifact, to path: String, overwrite: Bool) throws {
        try AtomicFile.write(to: path, overwrite: overwrite) { tmp in
            try HDF5File.withNewFile(tmp, overwrite: true) { file in
                try file.setAttribute("format", hostFormat)
                try file.setAttribute("formatVersion", formatVersion)
                try file.setAttribute("host", artifact.host.id)
                try file.setAttribute("codeVersion", artifact.provenance.codeVersion)
                try file.setAttribute("settingsJSON", artifact.provenance.settingsJSON)
                try file.setAttribute("createdAtUnix", Date().timeIntervalSince1970)
                try artifact.payload.write(to: file, group: "/data")
            }
        }
    }

    /// Reads a host artifact file; any problem is a `.corruptFile` error naming the path.
    public static func readHost(at path: String) throws -> HostArtifact {
        do {
            return try HDF5File.withFile(path) { file in
                guard (try? file.stringAttribute("format")) == hostFormat else {
                    throw BatchError(.corruptFile, "\(path): not a host artifact file (root attribute format ≠ \"\(hostFormat)\"); delete it to recompute the host")
                }
                let host = try HostKey(id: try file.stringAttribute("host"))
                let provenance = Provenance(codeVersion: try file.stringAttribute("codeVersion"),
                                            settingsJSON: try file.stringAttribute("settingsJSON"))
                return HostArtifact(host: host, payload: try RecordPayload.read(from: file, group: "/data"), provenance: provenance)
            }
        } catch let e as BatchError {
            throw e
        } catch {
            throw BatchError(.corruptFile, "\(path): unreadable host artifact file (\(error)); delete it to recompute the host")
        }
    }
}
