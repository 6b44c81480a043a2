import Foundation

/// The impurity cluster of a KKRimp calculation: the `scoef` file (`../shared/FORMATS.md` §1b;
/// read list-directed by KKRhost `host/gfshells.f90` 139-148; written by aiida-kkr
/// `tools/tools_kkrimp.py` `write_scoef` 480-508):
///
///     N                                                         ({:4d})
///     x y z  hostSite  Z  distance     one line per site        (3×{:26.19e} {:4d} {:4.1f} {:26.19e})
///
/// Positions and distances are Cartesian, in units of ALAT, relative to the impurity. The
/// cluster order (impurity first) is the block order of the KKRimp potential.
public struct ImpurityCluster: Equatable, Sendable {
    public struct Site: Equatable, Sendable {
        /// Cartesian position (x, y, z) in units of ALAT.
        public var positionAlat: [Double]
        /// The host basis site (1-based, column 4): which host block this cluster site copies.
        public var hostSiteNumber: Int
        /// Z of the host atom (column 5; informational).
        public var hostNuclearCharge: Double
        /// Distance from the centre in units of ALAT (column 6).
        public var distanceAlat: Double

        public init(positionAlat: [Double], hostSiteNumber: Int, hostNuclearCharge: Double, distanceAlat: Double) {
            precondition(positionAlat.count == 3)
            self.positionAlat = positionAlat
            self.hostSiteNumber = hostSiteNumber
            self.hostNuclearCharge = hostNuclearCharge
            self.distanceAlat = distanceAlat
        }
    }

    /// Sites in file order; `sites[0]` is the impurity.
    public var sites: [Site]

    public init(sites: [Site]) { self.sites = sites }

    public static func read(path: String) throws(PotentialFileError) -> ImpurityCluster {
        try ImpurityCluster(bytes: readFileBytes(path, kind: "scoef"), path: path)
    }

    public init(bytes: [UInt8], path: String = "<memory>") throws(PotentialFileError) {
        var c = LineCursor(bytes: bytes, path: path, kind: "scoef")
        let first = try c.next("the number of cluster sites")
        let nv = try c.values(first, [.int], names: "number of cluster sites N")
        guard case .int(let n) = nv[0], n >= 1 else {
            throw c.error("the number of cluster sites must be positive", line: first.number)
        }
        var sites: [Site] = []
        for k in 0..<n {
            let line = try c.next("cluster site \(k + 1) of \(n) ('x y z hostSite Z distance')")
            let v = try c.values(line, [.real, .real, .real, .int, .real, .real], names: "x y z hostSite Z distance")
            guard case .int(let host) = v[3], host >= 1 else {
                throw c.error("the host site index (column 4) must be ≥ 1", line: line.number)
            }
            let pos = [v[0].doubleValue, v[1].doubleValue, v[2].doubleValue]
            let d = v[5].doubleValue
            let norm = (pos[0] * pos[0] + pos[1] * pos[1] + pos[2] * pos[2]).squareRoot()
            guard abs(norm - d) <= 1e-6 * max(1, d) else {
                throw c.error("the distance \(d) (column 6) differs from |(x, y, z)| = \(norm)", line: line.number)
            }
            sites.append(Site(positionAlat: pos, hostSiteNumber: host, hostNuclearCharge: v[4].doubleValue, distanceAlat: d))
        }
        guard c.isAtEnd || c.onlyBlankLinesRemain else {
            throw c.error("unexpected text after the \(n) cluster sites (wrong count on line 1?)", line: c.nextLineNumber)
        }
        self.sites = sites
    }

    /// The file text in aiida-kkr's `write_scoef` layout.
    public func serialized() -> [UInt8] {
        var s = String(format: "%4ld\n", sites.count)
        for site in sites {
            let p = site.positionAlat
            s += String(format: "%26.19e %26.19e %26.19e %4ld %4.1f %26.19e\n",
                        p[0], p[1], p[2], site.hostSiteNumber, site.hostNuclearCharge, site.distanceAlat)
        }
        return Array(s.utf8)
    }

    /// Writes the file atomically; an existing file is replaced only with `overwrite: true`.
    public func write(to path: String, overwrite: Bool = false) throws {
        try AtomicFileWriter.write(serialized(), to: path, overwrite: overwrite)
    }
}
