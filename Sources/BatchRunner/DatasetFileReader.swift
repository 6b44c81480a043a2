import Foundation
import Storage

/// Reads a dataset file (shard, pending or merged; layout in `DatasetFile`). The initialiser
/// reads the header and the list of records and closes the file again; `record(_:)` reopens it
/// (read-only) until `close()`. So a merge of thousands of shard files does not hold thousands of
/// open files. Not `Sendable` (one reader per thread). Every failure is a
/// `BatchError(.corruptFile)` whose message starts with the file's path.
public final class DatasetFileReader {
    /// Status and time of one record, without its payload.
    public struct Entry: Sendable, Equatable {
        public let pair: PairKey
        public let status: PairStatus
        public let finishedAtUnix: Double
    }

    public let path: String
    public let header: DatasetFile.Header
    /// Records in pair order.
    public let entries: [Entry]
    private var openFile: HDF5File?

    public init(path: String) throws {
        self.path = path
        let file: HDF5File
        do {
            file = try HDF5File.open(path)
        } catch {
            throw BatchError(.corruptFile, "\(path): cannot open dataset file: \(error)")
        }
        do {
            guard (try? file.stringAttribute("format")) == DatasetFile.format else {
                throw BatchError(.corruptFile, "\(path): not a dataset file of this code (root attribute format ≠ \"\(DatasetFile.format)\")")
            }
            let version = try file.attribute("formatVersion", as: Int64.self)
            guard version == DatasetFile.formatVersion else {
                throw BatchError(.corruptFile, "\(path): format version \(version), this code reads version \(DatasetFile.formatVersion)")
            }
            let contentText = try file.stringAttribute("content")
            guard let content = DatasetFile.Content(rawValue: contentText) else {
                throw BatchError(.corruptFile, "\(path): unknown content '\(contentText)'")
            }
            let shard = try file.hasAttribute("shard") ? try Shard(parsing: file.stringAttribute("shard")) : nil
            var provenance: Provenance?
            if try file.hasAttribute("settingsJSON") {
                provenance = Provenance(codeVersion: try file.stringAttribute("codeVersion"),
                                        settingsJSON: try file.stringAttribute("settingsJSON"))
            }
            header = DatasetFile.Header(content: content, shard: shard, provenance: provenance,
                                        createdAtUnix: try file.attribute("createdAtUnix", as: Double.self))
            var list: [Entry] = []
            for name in try file.children(of: "/pairs") {
                let g = "/pairs/\(name)"
                let pair = try PairKey(id: try file.stringAttribute("pair", of: g))
                guard pair.groupName == name else {
                    throw BatchError(.corruptFile, "\(path): group \(g) holds pair \(pair.id)")
                }
                guard let status = PairStatus(rawValue: try file.stringAttribute("status", of: g)) else {
                    throw BatchError(.corruptFile, "\(path): group \(g): unknown status")
                }
                list.append(Entry(pair: pair, status: status, finishedAtUnix: try file.attribute("finishedAtUnix", of: g, as: Double.self)))
            }
            entries = list.sorted { $0.pair < $1.pair }
            try file.close()
        } catch let e as BatchError {
            try? file.close()
            throw e
        } catch {
            try? file.close()
            throw BatchError(.corruptFile, "\(path): not a valid dataset file: \(error)")
        }
    }

    deinit { close() }

    /// Closes the file (reopened by the next `record(_:)`).
    public func close() {
        try? openFile?.close()
        openFile = nil
    }

    private func file() throws -> HDF5File {
        if let f = openFile { return f }
        let f = try HDF5File.open(path)
        openFile = f
        return f
    }

    /// The full record of `pair` (which must be among `entries`).
    public func record(_ pair: PairKey) throws -> PairRecord {
        let g = DatasetFile.group(of: pair)
        do {
            let file = try file()
            let status = PairStatus(rawValue: try file.stringAttribute("status", of: g)) ?? .failed
            let error = try file.hasAttribute("error", on: g) ? try file.stringAttribute("error", of: g) : nil
            return PairRecord(pair: pair, status: status,
                              payload: try RecordPayload.read(from: file, group: "\(g)/data"), error: error,
                              wallSeconds: try file.attribute("wallSeconds", of: g, as: Double.self),
                              finishedAtUnix: try file.attribute("finishedAtUnix", of: g, as: Double.self),
                              machine: try file.stringAttribute("machine", of: g),
                              provenance: Provenance(codeVersion: try file.stringAttribute("codeVersion", of: g),
                                                     settingsJSON: try file.stringAttribute("settingsJSON", of: g)))
        } catch {
            throw BatchError(.corruptFile, "\(path): cannot read record \(pair.id): \(error)")
        }
    }

    /// All records in pair order.
    public func allRecords() throws -> [PairRecord] { try entries.map { try record($0.pair) } }
}
