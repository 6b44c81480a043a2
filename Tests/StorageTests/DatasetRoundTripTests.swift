import Foundation
import Testing
@testable import Storage

@Suite struct DatasetRoundTripTests {
    /// Bit-exact Double round trips including −0, ±∞, a NaN with payload, subnormals and extremes,
    /// for scalar, empty, 1-D, 2-D and 3-D shapes.
    @Test func doublesBitExact() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("d.h5")
        let special: [Double] = [0, -0.0, 1, -1.5, .pi, .infinity, -.infinity, Double(nan: 0x1234, signaling: false),
                                 .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 1e-300, 6.02214076e23]
        let cube = (0..<24).map { Double($0) * 0.1 - 1.0 / 3.0 }
        let cases: [(String, [Double], [Int])] = [
            ("scalar", [2.5], []), ("empty", [], [0]), ("empty2d", [], [0, 3]), ("special", special, [special.count]),
            ("matrix", Array(cube.prefix(6)), [2, 3]), ("cube", cube, [2, 3, 4]),
        ]
        try HDF5File.withNewFile(path) { f throws in
            for (name, values, shape) in cases { try f.write(values, shape: shape, to: "doubles/\(name)") }
        }
        try HDF5File.withFile(path) { f throws in
            for (name, values, shape) in cases {
                let a = try f.read(Double.self, from: "doubles/\(name)")
                #expect(a.shape == shape, "\(name)")
                #expect(a.values.map(\.bitPattern) == values.map(\.bitPattern), "\(name)")
            }
            let c = try f.read(Double.self, from: "/doubles/cube")
            #expect(c[1, 2, 3] == cube[1 * 12 + 2 * 4 + 3])   // row-major
            #expect(try f.readScalar(Double.self, from: "doubles/scalar") == 2.5)
            #expect(try f.datasetInfo("doubles/cube").elementType == .float(bytes: 8))
        }
    }

    @Test func integers() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("i.h5")
        let i64: [Int64] = [.min, -1, 0, 1, .max, 1 << 53 + 1]
        let i32: [Int32] = [.min, -7, 0, 42, .max, 3, 5, 8]
        try HDF5File.withNewFile(path) { f throws in
            try f.write(i64, shape: [2, 3], to: "i64")
            try f.write(i32, shape: [2, 2, 2], to: "i32")
            try f.write([Int32](), to: "empty")
            try f.write(scalar: Int64(-3), to: "n")
        }
        try HDF5File.withFile(path) { f throws in
            #expect(try f.read(Int64.self, from: "i64") == HDF5Array(shape: [2, 3], values: i64))
            #expect(try f.read(Int32.self, from: "i32") == HDF5Array(shape: [2, 2, 2], values: i32))
            #expect(try f.read(Int32.self, from: "empty") == HDF5Array(shape: [0], values: []))
            #expect(try f.readScalar(Int64.self, from: "n") == -3)
            // Lossless widening is allowed; narrowing and int → float are refused.
            #expect(try f.read(Int64.self, from: "i32").values == i32.map(Int64.init))
            #expect(storageError { _ = try f.read(Int32.self, from: "i64") }?.kind == .typeMismatch)
            #expect(storageError { _ = try f.read(Double.self, from: "i64") }?.kind == .typeMismatch)
            #expect(storageError { _ = try f.readStrings(from: "i64") }?.kind == .typeMismatch)
            #expect(try f.datasetInfo("i32").elementType == .integer(bytes: 4, signed: true))
        }
    }

    /// Strings are variable-length UTF-8; non-ASCII, empty strings and n-D shapes round-trip.
    @Test func strings() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("s.h5")
        let s = ["Fe_in_Cu", "", "ΔV (Ry) — ≤ 1e-6", "日本"]
        try HDF5File.withNewFile(path) { f throws in
            try f.write(s, shape: [2, 2], to: "names")
            try f.write([String](), to: "none")
            try f.write(string: "Cu fcc a=6.82", to: "meta/host")
            #expect(storageError { try f.write(["a\u{0}b"], to: "bad") }?.kind == .invalidArgument)
        }
        try HDF5File.withFile(path) { f throws in
            #expect(try f.readStrings(from: "names") == HDF5Array(shape: [2, 2], values: s))
            #expect(try f.readStrings(from: "none").shape == [0])
            #expect(try f.readString(from: "meta/host") == "Cu fcc a=6.82")
            #expect(try f.datasetInfo("names").elementType == .string(variableLength: true))
            #expect(storageError { _ = try f.read(Double.self, from: "names") }?.kind == .typeMismatch)
        }
    }

    /// Overwriting a dataset needs `overwrite: true`.
    @Test func overwriteDataset() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try HDF5File.withNewFile(dir.file("o.h5")) { f throws in
            try f.write([1.0, 2.0], to: "x")
            let e = storageError { try f.write([3.0], to: "x") }
            #expect(e?.kind == .objectExists && e?.object == "/x")
            try f.write([Int64(7), 8, 9], to: "x", overwrite: true)
            #expect(try f.read(Int64.self, from: "x").values == [7, 8, 9])
            #expect(storageError { try f.write([1.0, 2.0], shape: [3], to: "y") }?.kind == .shapeMismatch)
            #expect(try f.exists("y") == false)
        }
    }

    /// Deflate compression: a compressible 200 000-element array makes a small file; reading is
    /// transparent; explicit chunk shapes are validated.
    @Test func compression() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("c.h5")
        let big = (0..<200_000).map { Double($0 % 10) }
        var rng = SystemRandomNumberGenerator()
        let noisy = (0..<3000).map { _ in Double.random(in: -1...1, using: &rng) }
        try HDF5File.withNewFile(path) { f throws in
            try f.write(big, shape: [400, 500], to: "big", compression: .deflate(level: 6))
            try f.write(noisy, shape: [30, 100], to: "noisy", compression: .deflate(level: 1, chunkShape: [7, 33]))
            try f.write(noisy, to: "plain")
            #expect(storageError { try f.write(noisy, to: "bad", compression: .deflate(level: 4, chunkShape: [5000])) }?.kind
                    == .invalidArgument)
            try f.write([Double](), shape: [0, 4], to: "emptyCompressed", compression: .deflate())
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size < 200_000)   // the raw doubles alone are 1.6 MB + 2 × 24 kB
        try HDF5File.withFile(path) { f throws in
            #expect(try f.read(Double.self, from: "big") == HDF5Array(shape: [400, 500], values: big))
            #expect(try f.read(Double.self, from: "noisy").values.map(\.bitPattern) == noisy.map(\.bitPattern))
            #expect(try f.isCompressed("big"))
            #expect(try f.isCompressed("noisy"))
            #expect(try !f.isCompressed("plain"))
            #expect(try f.read(Double.self, from: "emptyCompressed").shape == [0, 4])
        }
    }
}
