import Foundation
import KKR
import KKRNumerics
import Radial
import Storage

/// HDF5 file of a converged host and its cluster Green functions (one file per host, written
/// atomically; reused by every impurity calculation in that host). Layout (docs/impurity.md):
///
///     /                      attrs format = "kkr-emulator-host", formatVersion = 1, codeVersion
///     /host/settings         JSON of `HostSettings`
///     /host/atomicNumber, /host/meshA, /host/meshB, /host/meshCount, /host/meshRmax
///     /host/smooth           [spin, r]  smooth potential v = V + 2Z/r (Ry)
///     /host/fermiEnergyRy, /host/valenceElectrons, /host/iterations, /host/finalRms
///     /host/coreStates       [k, 3]  (n, l, occupation)
///     /host/coreLevels       [spin, k, 3]  (n, l, energy Ry)
///     /host/nonSpherical     [spin, L, r]  V_L (Ry), /host/density [spin, L, r]
///     /green/shells<S>/positionsBohr [N, 3]
///     /green/shells<S>/real, /imag   [spin, energy, N·nl, N·nl]  G_host (column-major blocks)
public enum HostFile {
    public static let formatName = "kkr-emulator-host"
    public static let formatVersion: Int64 = 1

    /// Writes the host and the given Green functions (all must belong to this host).
    public static func write(host: ConvergedHost, greenFunctions: [HostClusterGreenFunction], to path: String,
                             overwrite: Bool = false, codeVersion: String = KKREmulatorVersion.string) throws {
        try HDF5File.writeAtomically(to: path, overwrite: overwrite) { f in
            try f.setAttribute("format", formatName)
            try f.setAttribute("formatVersion", formatVersion)
            try f.setAttribute("codeVersion", codeVersion)
            try f.createGroup("/host")
            let json = try JSONEncoder().encode(host.settings)
            try f.write(string: String(decoding: json, as: UTF8.self), to: "/host/settings")
            let v = host.potential
            try f.write(scalar: Int64(v.atomicNumber), to: "/host/atomicNumber")
            try f.write(scalar: v.mesh.a, to: "/host/meshA")
            try f.write(scalar: v.mesh.b, to: "/host/meshB")
            try f.write(scalar: Int64(v.mesh.count), to: "/host/meshCount")
            try f.write(scalar: v.mesh.rmax, to: "/host/meshRmax")
            try f.write(v.smooth.flatMap { $0 }, shape: [v.spinCount, v.mesh.count], to: "/host/smooth")
            try f.write(scalar: host.fermiEnergyRy, to: "/host/fermiEnergyRy")
            try f.write(scalar: host.valenceElectrons, to: "/host/valenceElectrons")
            try f.write(scalar: Int64(host.iterations), to: "/host/iterations")
            try f.write(scalar: host.finalRms, to: "/host/finalRms")
            try f.write(host.coreStates.flatMap { [Double($0.n), Double($0.l), $0.occupation] }, shape: [host.coreStates.count, 3],
                        to: "/host/coreStates")
            let nk = host.coreLevels.first?.count ?? 0
            try f.write(host.coreLevels.flatMap { $0.flatMap { [Double($0.n), Double($0.l), $0.energyRy] } },
                        shape: [host.coreLevels.count, nk, 3], to: "/host/coreLevels")
            try writeCube(f, host.nonSpherical, "/host/nonSpherical")
            try writeCube(f, host.density, "/host/density")
            try f.createGroup("/green")
            for g in greenFunctions {
                let base = "/green/shells\(g.geometry.shells)"
                try f.createGroup(base)
                try f.write(g.geometry.positions.flatMap { [$0.x, $0.y, $0.z] }, shape: [g.geometry.count, 3], to: base + "/positionsBohr")
                let n = g.matrices[0][0].rows
                var re: [Double] = [], im: [Double] = []
                re.reserveCapacity(g.matrices.count * g.matrices[0].count * n * n)
                im.reserveCapacity(re.capacity)
                for s in g.matrices { for m in s { for z in m.elements { re.append(z.real); im.append(z.imaginary) } } }
                let shape = [g.matrices.count, g.matrices[0].count, n, n]
                try f.write(re, shape: shape, to: base + "/real", compression: .deflate(level: 1))
                try f.write(im, shape: shape, to: base + "/imag", compression: .deflate(level: 1))
            }
        }
    }

    private static func writeCube(_ f: HDF5File, _ a: [[[Double]]], _ path: String) throws {
        let s = a.count, l = a.first?.count ?? 0, r = a.first?.first?.count ?? 0
        try f.write(a.flatMap { $0.flatMap { $0 } }, shape: [s, l, r], to: path)
    }

    private static func readCube(_ f: HDF5File, _ path: String) throws -> [[[Double]]] {
        let arr = try f.read(Double.self, from: path)
        guard arr.shape.count == 3 else { throw ImpurityError.cacheFile("\(path) has shape \(arr.shape), expected 3 dimensions") }
        let (s, l, r) = (arr.shape[0], arr.shape[1], arr.shape[2])
        return (0..<s).map { i in (0..<l).map { j in Array(arr.values[((i * l + j) * r)..<((i * l + j + 1) * r)]) } }
    }

    /// Reads the converged host.
    public static func readHost(path: String) throws -> ConvergedHost {
        try HDF5File.withFile(path) { f in
            let fmt = (try? f.stringAttribute("format")) ?? ""
            guard fmt == formatName else { throw ImpurityError.cacheFile("\(path) is not a kkr-emulator host file (format '\(fmt)')") }
            let ver = try f.attribute("formatVersion", as: Int64.self)
            guard ver == formatVersion else { throw ImpurityError.cacheFile("\(path) has format version \(ver); this code reads \(formatVersion). Recompute the host.") }
            let settings = try JSONDecoder().decode(HostSettings.self, from: Data(try f.readString(from: "/host/settings").utf8))
            let z = Int(try f.readScalar(Int64.self, from: "/host/atomicNumber"))
            let mesh = try RadialMesh(rmax: try f.readScalar(Double.self, from: "/host/meshRmax"),
                                      a: try f.readScalar(Double.self, from: "/host/meshA"),
                                      count: Int(try f.readScalar(Int64.self, from: "/host/meshCount")))
            let sm = try f.read(Double.self, from: "/host/smooth")
            let smooth = (0..<sm.shape[0]).map { Array(sm.values[($0 * sm.shape[1])..<(($0 + 1) * sm.shape[1])]) }
            let cs = try f.read(Double.self, from: "/host/coreStates")
            let core = (0..<(cs.shape.first ?? 0)).map { CoreStateSpec(n: Int(cs.values[3 * $0]), l: Int(cs.values[3 * $0 + 1]), occupation: cs.values[3 * $0 + 2]) }
            let cl = try f.read(Double.self, from: "/host/coreLevels")
            var levels: [[CoreLevel]] = []
            if cl.shape.count == 3 {
                for s in 0..<cl.shape[0] {
                    levels.append((0..<cl.shape[1]).map { k in
                        let o = (s * cl.shape[1] + k) * 3
                        return CoreLevel(n: Int(cl.values[o]), l: Int(cl.values[o + 1]), energyRy: cl.values[o + 2], leakage: 0)
                    })
                }
            }
            return ConvergedHost(settings: settings, potential: SphericalPotential(atomicNumber: z, mesh: mesh, smooth: smooth),
                                 fermiEnergyRy: try f.readScalar(Double.self, from: "/host/fermiEnergyRy"), coreStates: core,
                                 valenceElectrons: try f.readScalar(Double.self, from: "/host/valenceElectrons"), coreLevels: levels,
                                 nonSpherical: try readCube(f, "/host/nonSpherical"), density: try readCube(f, "/host/density"),
                                 iterations: Int(try f.readScalar(Int64.self, from: "/host/iterations")),
                                 finalRms: try f.readScalar(Double.self, from: "/host/finalRms"))
        }
    }

    /// Shell counts whose Green functions are stored.
    public static func storedShells(path: String) throws -> [Int] {
        try HDF5File.withFile(path) { f in
            guard try f.exists("/green") else { return [] }
            return try f.children(of: "/green").compactMap { $0.hasPrefix("shells") ? Int($0.dropFirst(6)) : nil }.sorted()
        }
    }

    /// Reads the cluster Green function for `shells` (host read from the same file).
    public static func readGreenFunction(path: String, shells: Int) throws -> HostClusterGreenFunction {
        let host = try readHost(path: path)
        return try HDF5File.withFile(path) { f in
            let base = "/green/shells\(shells)"
            guard try f.exists(base) else { throw ImpurityError.cacheFile("\(path) has no Green function for \(shells) shell(s)") }
            let structureLattice = try KKRLatticeFactory.lattice(host.settings)
            let geometry = try ImpurityGeometry(lattice: structureLattice, shells: shells)
            let pos = try f.read(Double.self, from: base + "/positionsBohr")
            for (i, p) in geometry.positions.enumerated() {
                let q = Vector3FromArray(pos.values, 3 * i)
                guard ((q - p) * (q - p)).sum() < 1e-16 else { throw ImpurityError.cacheFile("\(path): cluster positions differ from the lattice (site \(i))") }
            }
            let re = try f.read(Double.self, from: base + "/real"), im = try f.read(Double.self, from: base + "/imag")
            guard re.shape == im.shape, re.shape.count == 4 else { throw ImpurityError.cacheFile("\(path): bad Green-function shape \(re.shape)") }
            let (ns, ne, n) = (re.shape[0], re.shape[1], re.shape[2])
            var mats: [[ComplexMatrix]] = []
            for s in 0..<ns {
                var row: [ComplexMatrix] = []
                for e in 0..<ne {
                    let off = (s * ne + e) * n * n
                    var m = ComplexMatrix(rows: n, cols: n)
                    for k in 0..<(n * n) { m.elements[k] = ComplexDouble(re.values[off + k], im.values[off + k]) }
                    row.append(m)
                }
                mats.append(row)
            }
            return try HostClusterGreenFunction(host: host, geometry: geometry, contour: try host.contour(), matrices: mats)
        }
    }
}

@inline(__always) func Vector3FromArray(_ a: [Double], _ o: Int) -> SIMD3<Double> { SIMD3(a[o], a[o + 1], a[o + 2]) }

/// The code version recorded in output files (provenance).
public enum KKREmulatorVersion {
    public static let string = "kkr-emulator 0.1"
}
