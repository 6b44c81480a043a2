import Foundation

/// What `dataset merge` did (`--json` prints it).
public struct MergeSummary: Codable, Sendable, Equatable {
    public var output: String
    public var inputFiles: [String]
    public var records: Int
    public var failedRecords: Int
    public var identicalDuplicates: Int
    public var resolvedDuplicates: Int
    /// Number of distinct settings JSON strings among the records (1 for a consistent dataset).
    public var distinctSettings: Int

    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}
