/// The physics of the batch, injected: converge a host, and compute one host/impurity pair.
///
/// Called from several worker threads at once (one pair per worker), hence `Sendable`:
/// `prepareHost` at most once per host and run (the runner caches the result on disk), `run`
/// once per pair. A thrown error marks the host's pairs / the pair as failed with the error's
/// description; the batch goes on. Deterministic runners give bit-identical records when a pair
/// is recomputed, which lets `dataset merge` accept duplicates.
public protocol PairJobRunner: Sendable {
    /// Converges the host crystal; the payload is stored in `hosts/<id>.h5` and passed to `run`.
    func prepareHost(_ host: HostKey) throws -> RecordPayload

    /// Computes one pair from the host artifact (possibly loaded from the cache of an earlier run).
    func run(pair: PairKey, host: HostArtifact) throws -> RecordPayload
}
