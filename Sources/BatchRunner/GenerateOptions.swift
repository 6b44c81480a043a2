import Elements
import Foundation

/// Everything `dataset generate` needs besides the physics runner.
public struct GenerateOptions: Sendable {
    public var hosts: [HostKey]
    public var impurities: [Element]
    /// The output directory (created if missing); see `OutputLayout`.
    public var outputDirectory: String
    /// The part of the pair list this process computes (`--shard i/N`).
    public var shard: Shard = .all
    /// Concurrent pair calculations (threads). Default: the number of active cores.
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Recompute pairs recorded as failed (`--retry-failed`); otherwise they count as done.
    public var retryFailed = false
    /// Code version and settings JSON, written with every record and host.
    public var provenance: Provenance
    /// Pending records are consolidated into the shard file after this many new records …
    public var consolidateEveryPairs = 50
    /// … or this many seconds, whichever comes first (and always at the start and end).
    public var consolidateEverySeconds = 600.0
    /// A pair during which the process died this many times is recorded as failed.
    public var maxAttempts = 3
    public var progress: ProgressMode = .automatic
    /// Where progress text goes (default: stderr).
    public var progressSink: @Sendable (String) -> Void = { text in FileHandle.standardError.write(Data(text.utf8)) }
    /// Test hook: called at the points of `FaultPoint`; an error thrown there aborts the batch
    /// like a crash at that point would (no final consolidation).
    var faultInjector: (@Sendable (FaultPoint) throws -> Void)?

    public init(hosts: [HostKey], impurities: [Element], outputDirectory: String, provenance: Provenance) {
        self.hosts = hosts
        self.impurities = impurities
        self.outputDirectory = outputDirectory
        self.provenance = provenance
    }

    /// Options from the command-line strings ("Cu,Ag,Fe:bcc", "Sc-Zn", "2/8").
    public init(hostList: String, impurityList: String, outputDirectory: String, shard: String? = nil,
                provenance: Provenance) throws {
        self.init(hosts: try HostKey.parseList(hostList), impurities: try PairKey.parseImpurities(impurityList),
                  outputDirectory: outputDirectory, provenance: provenance)
        if let shard { self.shard = try Shard(parsing: shard) }
    }

    /// Checks the numeric settings.
    public func validate() throws {
        guard !hosts.isEmpty else { throw BatchError(.invalidArgument, "no hosts given") }
        guard !impurities.isEmpty else { throw BatchError(.invalidArgument, "no impurities given") }
        guard !outputDirectory.isEmpty else { throw BatchError(.invalidArgument, "no output directory given (-o)") }
        guard workers >= 1 else { throw BatchError(.invalidArgument, "--workers must be at least 1, got \(workers)") }
        guard maxAttempts >= 1 else { throw BatchError(.invalidArgument, "max attempts must be at least 1") }
        guard consolidateEveryPairs >= 1, consolidateEverySeconds > 0 else {
            throw BatchError(.invalidArgument, "consolidation interval must be positive")
        }
    }

    /// All pairs of the run (every shard), in the deterministic order.
    public var allPairs: [PairKey] { PairKey.allPairs(hosts: hosts, impurities: impurities) }
}
