import Elements

/// A host crystal of the dataset: an element on a lattice. Its stable id is "Cu-fcc" (also the
/// file name of its cached artifact, `hosts/Cu-fcc.h5`). Hosts order by atomic number, then
/// lattice.
public struct HostKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let element: Element
    public let lattice: HostLattice

    public init(element: Element, lattice: HostLattice) {
        self.element = element
        self.lattice = lattice
    }

    /// A host from a symbol and an optional lattice; without a lattice, the element's cubic
    /// ground-state structure (`HostLattice.groundState(of:)`) is used.
    public init(symbol: String, lattice: HostLattice? = nil) throws {
        let element = try HostKey.element(symbol)
        guard let lattice = lattice ?? HostLattice.groundState(of: element) else {
            throw BatchError(.invalidArgument,
                             "host \(element.symbol): no fcc/bcc ground state in the table; give the lattice explicitly, e.g. \(element.symbol):fcc")
        }
        self.init(element: element, lattice: lattice)
    }

    /// Parses an id "Cu-fcc" (as written in files).
    public init(id: String) throws {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw BatchError(.invalidArgument, "malformed host id '\(id)': expected <element>-<lattice>, e.g. Cu-fcc")
        }
        try self.init(symbol: String(parts[0]), lattice: HostLattice(parsing: String(parts[1])))
    }

    public var symbol: String { element.symbol }
    /// Stable id "Cu-fcc".
    public var id: String { "\(element.symbol)-\(lattice.rawValue)" }
    public var description: String { id }

    public static func < (a: HostKey, b: HostKey) -> Bool {
        (a.element.atomicNumber, a.lattice) < (b.element.atomicNumber, b.lattice)
    }

    /// Parses a host list "Cu,Ag,Fe:bcc,Ni-Cu" (element ranges by atomic number as in
    /// `PeriodicTable.elements(inList:)`; ":lattice" applies to every element of its item).
    /// Sorted by Z, duplicates removed.
    public static func parseList(_ list: String) throws -> [HostKey] {
        var hosts = Set<HostKey>()
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, !parts[0].isEmpty else {
                throw BatchError(.invalidArgument, "malformed host '\(item)': expected e.g. Cu, Fe:bcc or Ni-Cu")
            }
            let lattice = try parts.count == 2 ? HostLattice(parsing: parts[1]) : nil
            for element in try elements(parts[0], role: "host") {
                hosts.insert(try HostKey(symbol: element.symbol, lattice: lattice))
            }
        }
        guard !hosts.isEmpty else { throw BatchError(.invalidArgument, "the host list '\(list)' is empty") }
        return hosts.sorted()
    }

    /// Elements of a list with errors that say which list and how to write a lattice.
    static func elements(_ list: String, role: String) throws -> [Element] {
        do {
            return try PeriodicTable.elements(inList: list)
        } catch let error as ElementError {
            if case .unknownSymbol(let s) = error, let tail = s.split(separator: "-").last,
               HostLattice(rawValue: tail.lowercased()) != nil {
                throw BatchError(.invalidArgument, "\(role) '\(list)': '\(tail)' is not an element; write a lattice after a colon, e.g. Cu:fcc")
            }
            throw BatchError(.invalidArgument, "\(role) list '\(list)': \(error)")
        }
    }

    static func element(_ symbol: String) throws -> Element {
        do { return try PeriodicTable.element(symbol: symbol) } catch {
            throw BatchError(.invalidArgument, "\(error)")
        }
    }
}
