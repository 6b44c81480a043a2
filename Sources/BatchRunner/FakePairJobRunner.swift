import Foundation

/// A cheap deterministic stand-in for the physics, for tests and for trying the batch machinery
/// (`--fake-jobs`). The host payload holds Z-derived numbers; a pair's payload is a function of
/// both Z's and of the host payload, so a test can check that the right host artifact was used
/// and that every record holds its own pair's data (`expectedPayload`).
public struct FakePairJobRunner: PairJobRunner {
    /// Thrown for the pairs in `failing`.
    public struct InjectedFailure: Error, CustomStringConvertible {
        public let pair: String
        public var description: String { "injected failure for \(pair)" }
    }

    /// Sleep per pair and per host (simulated work).
    public var pairDelaySeconds: Double
    public var hostDelaySeconds: Double
    /// Pair ids ("Cu-fcc/Fe") whose job throws; host ids whose preparation throws.
    public var failing: Set<String>
    public var failingHosts: Set<String>
    /// Pair ids whose job terminates the process (`abort()`), to test crash isolation.
    public var crashing: Set<String>
    /// Called after each completed pair / host job (e.g. to count or log executions).
    public var onPairComputed: (@Sendable (PairKey) -> Void)?
    public var onHostComputed: (@Sendable (HostKey) -> Void)?

    public init(pairDelaySeconds: Double = 0, hostDelaySeconds: Double = 0, failing: Set<String> = [],
                failingHosts: Set<String> = [], crashing: Set<String> = []) {
        self.pairDelaySeconds = pairDelaySeconds
        self.hostDelaySeconds = hostDelaySeconds
        self.failing = failing
        self.failingHosts = failingHosts
        self.crashing = crashing
    }

    public func prepareHost(_ host: HostKey) throws -> RecordPayload {
        if hostDelaySeconds > 0 { Thread.sleep(forTimeInterval: hostDelaySeconds) }
        if failingHosts.contains(host.id) { throw InjectedFailure(pair: host.id) }
        onHostComputed?(host)
        return FakePairJobRunner.hostPayload(host)
    }

    public func run(pair: PairKey, host: HostArtifact) throws -> RecordPayload {
        if pairDelaySeconds > 0 { Thread.sleep(forTimeInterval: pairDelaySeconds) }
        if crashing.contains(pair.id) { abort() }
        if failing.contains(pair.id) { throw InjectedFailure(pair: pair.id) }
        guard let fermi = host.payload.doubleAttributes["fermiEnergyRy"] else {
            throw InjectedFailure(pair: "\(pair.id) (host artifact without fermiEnergyRy)")
        }
        onPairComputed?(pair)
        return FakePairJobRunner.pairPayload(pair, hostFermiEnergyRy: fermi)
    }

    /// The host payload: E_F = 0.01·Z Ry and a 4-point "potential".
    public static func hostPayload(_ host: HostKey) -> RecordPayload {
        let z = Double(host.element.atomicNumber)
        var p = RecordPayload(doubleAttributes: ["fermiEnergyRy": 0.01 * z], stringAttributes: ["lattice": host.lattice.rawValue])
        p.setArray("potentialRy", (0..<4).map { -2 * z / Double($0 + 1) })
        return p
    }

    /// The pair payload: a 2×3 array "dvRy" and a 2×2×2 array "shells/charges" with values
    /// from (Z_host, Z_imp, E_F), plus attributes.
    public static func pairPayload(_ pair: PairKey, hostFermiEnergyRy fermi: Double) -> RecordPayload {
        let zh = Double(pair.host.element.atomicNumber), zi = Double(pair.impurity.atomicNumber)
        var p = RecordPayload(doubleAttributes: ["deltaZ": zi - zh, "hostFermiEnergyRy": fermi],
                              stringAttributes: ["impurity": pair.impurity.symbol])
        p.setArray("dvRy", (0..<6).map { (zi - zh) / Double($0 + 1) + fermi }, shape: [2, 3])
        p.setArray("shells/charges", (0..<8).map { zi * 1000 + zh + Double($0) / 8 }, shape: [2, 2, 2])
        return p
    }

    /// What `run` returns for `pair` with the host payload of `hostPayload`.
    public static func expectedPayload(_ pair: PairKey) -> RecordPayload {
        pairPayload(pair, hostFermiEnergyRy: hostPayload(pair.host).doubleAttributes["fermiEnergyRy"]!)
    }
}
