import Foundation

/// What one `dataset generate` run did (`--json` prints it).
public struct GenerateSummary: Codable, Sendable, Equatable {
    /// "i/N".
    public var shard: String
    /// Pairs of the whole list and of this shard.
    public var pairsTotal: Int
    public var pairsInShard: Int
    /// Pairs already recorded before this run (skipped).
    public var pairsSkipped: Int
    /// Pairs computed by this run with status ok / failed.
    public var pairsDone: Int
    public var pairsFailed: Int
    /// Hosts converged by this run / loaded from `hosts/`.
    public var hostsComputed: Int
    public var hostsLoaded: Int
    public var workers: Int
    public var wallSeconds: Double
    /// pairsDone / (wallSeconds × workers / 3600); 0 when nothing was computed.
    public var pairsPerCoreHour: Double
    /// The shard file with all records of the shard.
    public var shardFile: String

    /// Pretty-printed JSON with sorted keys.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}
