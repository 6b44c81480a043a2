import Elements

/// One host/impurity pair: an impurity element on a site of a host crystal. Its stable id is
/// "Cu-fcc/Fe"; its HDF5 group name is "Cu-fcc__Fe" (no "/" inside a name). Pairs order by host
/// (Z, lattice), then impurity Z — the deterministic order of the pair list.
public struct PairKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let host: HostKey
    public let impurity: Element

    public init(host: HostKey, impurity: Element) {
        self.host = host
        self.impurity = impurity
    }

    /// Parses an id "Cu-fcc/Fe" or a group name "Cu-fcc__Fe".
    public init(id: String) throws {
        let separator = id.contains("/") ? "/" : "__"
        let parts = id.components(separatedBy: separator)
        guard parts.count == 2 else {
            throw BatchError(.invalidArgument, "malformed pair id '\(id)': expected <host>-<lattice>/<impurity>, e.g. Cu-fcc/Fe")
        }
        try self.init(host: HostKey(id: parts[0]), impurity: HostKey.element(parts[1]))
    }

    /// Stable id "Cu-fcc/Fe".
    public var id: String { "\(host.id)/\(impurity.symbol)" }
    /// Name of the pair's group in a shard file and of its pending file: "Cu-fcc__Fe".
    public var groupName: String { "\(host.id)__\(impurity.symbol)" }
    public var description: String { id }

    public static func < (a: PairKey, b: PairKey) -> Bool {
        a.host != b.host ? a.host < b.host : a.impurity.atomicNumber < b.impurity.atomicNumber
    }

    /// All pairs hosts × impurities in the deterministic order (sorted by host, then impurity Z;
    /// duplicates removed). A host element also appears as its own "impurity" if listed.
    public static func allPairs(hosts: [HostKey], impurities: [Element]) -> [PairKey] {
        let hs = Set(hosts).sorted()
        let imps = Set(impurities).sorted { $0.atomicNumber < $1.atomicNumber }
        return hs.flatMap { h in imps.map { PairKey(host: h, impurity: $0) } }
    }

    /// Parses an impurity list "Sc-Zn,Ag" into elements sorted by Z (duplicates removed).
    public static func parseImpurities(_ list: String) throws -> [Element] {
        let elements = try HostKey.elements(list, role: "impurity")
        guard !elements.isEmpty else { throw BatchError(.invalidArgument, "the impurity list '\(list)' is empty") }
        return Set(elements).sorted { $0.atomicNumber < $1.atomicNumber }
    }
}
