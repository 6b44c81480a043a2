import Foundation

/// Whether a pair calculation produced a result.
public enum PairStatus: String, Sendable, Equatable, Codable {
    case ok, failed
}

/// Metadata written with every record: who computed it, with which settings.
public struct Provenance: Sendable, Equatable {
    /// Code version string given by the caller (e.g. `git describe`).
    public var codeVersion: String
    /// The physics settings of the run as JSON (compared on resume: a shard or host file made
    /// with other settings is an error).
    public var settingsJSON: String

    public init(codeVersion: String, settingsJSON: String) {
        self.codeVersion = codeVersion
        self.settingsJSON = settingsJSON
    }
}

/// The stored result of one pair: status, payload (empty for failures), error text, wall time,
/// finishing time and provenance. Stored as group `/pairs/<Cu-fcc__Fe>` of a shard file.
public struct PairRecord: Sendable, Equatable {
    public var pair: PairKey
    public var status: PairStatus
    public var payload: RecordPayload
    /// The error text of a failed pair (nil for ok).
    public var error: String?
    /// Wall time of the pair calculation (excluding the host), seconds.
    public var wallSeconds: Double
    /// When the record was made (seconds since 1970).
    public var finishedAtUnix: Double
    /// Name of the machine that computed it.
    public var machine: String
    public var provenance: Provenance

    public init(pair: PairKey, status: PairStatus, payload: RecordPayload = .empty, error: String? = nil,
                wallSeconds: Double, finishedAtUnix: Double = Date().timeIntervalSince1970,
                machine: String = ProcessInfo.processInfo.hostName, provenance: Provenance) {
        self.pair = pair
        self.status = status
        self.payload = payload
        self.error = error
        self.wallSeconds = wallSeconds
        self.finishedAtUnix = finishedAtUnix
        self.machine = machine
        self.provenance = provenance
    }

    /// Same result: pair, status, error text and a bit-identical payload. Run metadata (wall
    /// time, finishing time, machine, provenance) is ignored — a pair recomputed elsewhere with a
    /// deterministic code gives an identical record.
    public func hasSameResult(as other: PairRecord) -> Bool {
        pair == other.pair && status == other.status && error == other.error && payload.isBitwiseIdentical(to: other.payload)
    }
}
