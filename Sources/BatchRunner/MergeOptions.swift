/// `dataset merge OUT INPUT…`: combines dataset files into one, one record per pair.
///
/// Inputs are dataset files (shard, pending or merged) or output directories of
/// `dataset generate` (then every `shards/*.h5` and every `pending/*/*.h5` in it is used, so an
/// unfinished run's records are not lost). Duplicates are resolved by `DuplicatePolicy`:
/// identical records are kept once, ok beats failed, and two different ok records are an error
/// unless `preferNewest`. The output is written atomically and an existing output is replaced
/// only with `force`.
public struct MergeOptions: Sendable, Equatable {
    public var output: String
    public var inputs: [String]
    /// `--prefer newest`: keep the newer of two conflicting ok records instead of failing.
    public var preferNewest = false
    /// `--force`: replace an existing output file.
    public var force = false
    /// `--exclude`: pairs left out of the merged file (e.g. the held-out pairs of a benchmark).
    public var excluded: Set<PairKey> = []

    public init(output: String, inputs: [String], preferNewest: Bool = false, force: Bool = false) {
        self.output = output
        self.inputs = inputs
        self.preferNewest = preferNewest
        self.force = force
    }
}
