/// Points in `dataset generate` where the tests inject a simulated crash.
enum FaultPoint: Equatable, Sendable {
    /// A pair is computed, its record not yet written (the pair is lost).
    case afterPairComputed(PairKey)
    /// A pair's pending record is durable, its attempts file not yet removed.
    case afterPendingWritten(PairKey)
    /// The new shard file is in place, the consolidated pending files not yet removed.
    case afterShardReplaced
}
