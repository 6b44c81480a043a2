import Testing
@testable import BatchRunner

@Suite struct PairListTests {
    @Test func hostListUsesGroundStateLatticesAndSortsByZ() throws {
        let hosts = try HostKey.parseList("Cu, Fe ,Al,Co:fcc,Cu")
        #expect(hosts.map(\.id) == ["Al-fcc", "Fe-bcc", "Co-fcc", "Cu-fcc"])
        #expect(try HostKey.parseList("Cu:bcc,Cu").map(\.id) == ["Cu-fcc", "Cu-bcc"])
        // A range with one lattice for all.
        #expect(try HostKey.parseList("Ni-Cu:fcc").map(\.id) == ["Ni-fcc", "Cu-fcc"])
    }

    @Test func hostListErrorsSayWhatToDo() {
        let hcp = batchError { _ = try HostKey.parseList("Cu,Co") }
        #expect(hcp?.kind == .invalidArgument)
        #expect(hcp?.message.contains("Co:fcc") == true)
        let dash = batchError { _ = try HostKey.parseList("Cu-fcc") }
        #expect(dash?.message.contains("after a colon") == true)
        let unknown = batchError { _ = try HostKey.parseList("Cu,Xx") }
        #expect(unknown?.message.contains("'Xx'") == true)
        let lattice = batchError { _ = try HostKey.parseList("Cu:hex") }
        #expect(lattice?.message.contains("unknown lattice 'hex'") == true)
        #expect(batchError { _ = try HostKey.parseList(" , ") }?.message.contains("empty") == true)
    }

    @Test func impuritiesAreSortedAndUnique() throws {
        let imps = try PairKey.parseImpurities("Zn,Sc-V,Ti,Ag")
        #expect(imps.map(\.symbol) == ["Sc", "Ti", "V", "Zn", "Ag"])
        #expect(batchError { _ = try PairKey.parseImpurities("Zn-Sc") }?.kind == .invalidArgument)
    }

    @Test func pairOrderIsHostMajorByAtomicNumber() throws {
        let pairs = PairKey.allPairs(hosts: try HostKey.parseList("Cu,Al"), impurities: try PairKey.parseImpurities("Fe,Sc"))
        #expect(pairs.map(\.id) == ["Al-fcc/Sc", "Al-fcc/Fe", "Cu-fcc/Sc", "Cu-fcc/Fe"])
        #expect(pairs == pairs.sorted())
    }

    @Test func pairIdsRoundTrip() throws {
        let p = try PairKey(id: "Fe-bcc/Co")
        #expect(p.host.lattice == .bcc && p.impurity.atomicNumber == 27)
        #expect(p.groupName == "Fe-bcc__Co")
        #expect(try PairKey(id: p.groupName) == p)
        #expect(batchError { _ = try PairKey(id: "Fe/Co") }?.message.contains("malformed host id 'Fe'") == true)
        #expect(batchError { _ = try PairKey(id: "Fe-bcc") }?.kind == .invalidArgument)
    }
}
