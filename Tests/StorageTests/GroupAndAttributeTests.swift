import Foundation
import Testing
@testable import Storage

@Suite struct GroupAndAttributeTests {
    @Test func nestedGroupsAndListing() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("g.h5")
        try HDF5File.withNewFile(path) { f throws in
            try f.createGroup("pairs/Fe_in_Cu")
            try f.createGroup("pairs/Fe_in_Cu")            // idempotent
            try f.write([1.0], to: "pairs/Co_in_Cu/dv")    // parents created on demand
            try f.write([1.0], to: "/models/ridge/coefficients")
            #expect(storageError { try f.createGroup("models/ridge/coefficients/sub") }?.kind == .objectExists)
        }
        try HDF5File.withFile(path) { f throws in
            #expect(try f.children() == ["models", "pairs"])
            #expect(try f.children(of: "pairs") == ["Co_in_Cu", "Fe_in_Cu"])
            #expect(try f.children(of: "/pairs/Fe_in_Cu") == [])
            #expect(try f.exists("pairs/Fe_in_Cu"))
            #expect(try f.exists("/pairs/Co_in_Cu/dv"))
            #expect(try f.exists("/"))
            #expect(try !f.exists("pairs/Ni_in_Cu"))
            #expect(try !f.exists("nothing/below/here"))
            #expect(try f.kind(of: "pairs") == .group)
            #expect(try f.kind(of: "pairs/Co_in_Cu/dv") == .dataset)
            #expect(try f.kind(of: "pairs/x") == nil)
            #expect(storageError { _ = try f.children(of: "pairs/Co_in_Cu/dv") }?.kind == .typeMismatch)
            #expect(storageError { _ = try f.children(of: "missing") }?.kind == .objectNotFound)
            #expect(storageError { _ = try f.exists("a//b") }?.kind == .invalidArgument)
            #expect(hdf5ThreadStateIsClean)
        }
        try HDF5File.withFile(path, writable: true) { f throws in
            try f.remove("pairs/Co_in_Cu")
            #expect(try f.children(of: "pairs") == ["Fe_in_Cu"])
        }
    }

    /// Attributes of every supported type on the file root, a group and a dataset.
    @Test func attributes() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("a.h5")
        let lattice = [6.82, -0.0, .infinity]
        try HDF5File.withNewFile(path) { f throws in
            try f.setAttribute("format_version", Int64(3))
            try f.setAttribute("creator", "kkr-emulator ΔV")
            try f.createGroup("hosts/Cu")
            try f.setAttribute("alat_bohr", 6.82, on: "hosts/Cu")
            try f.setAttribute("vectors", lattice, on: "hosts/Cu")
            try f.setAttribute("none", [Double](), on: "hosts/Cu")
            try f.write([1.0, 2.0], to: "hosts/Cu/v")
            try f.setAttribute("units", "Ry", on: "hosts/Cu/v")
            try f.setAttribute("lmax", Int32(3), on: "hosts/Cu/v")
            try f.setAttribute("units", "mRy", on: "hosts/Cu/v")   // replaces
        }
        try HDF5File.withFile(path) { f throws in
            #expect(try f.attribute("format_version", as: Int64.self) == 3)
            #expect(try f.stringAttribute("creator") == "kkr-emulator ΔV")
            #expect(try f.attribute("alat_bohr", of: "hosts/Cu", as: Double.self) == 6.82)
            #expect(try f.attributeArray("vectors", of: "hosts/Cu", as: Double.self).map(\.bitPattern) == lattice.map(\.bitPattern))
            #expect(try f.attributeArray("none", of: "hosts/Cu", as: Double.self) == [])
            #expect(try f.stringAttribute("units", of: "hosts/Cu/v") == "mRy")
            #expect(try f.attribute("lmax", of: "hosts/Cu/v", as: Int64.self) == 3)
            #expect(try f.attributeNames() == ["creator", "format_version"])
            #expect(try f.attributeNames(of: "hosts/Cu") == ["alat_bohr", "none", "vectors"])
            #expect(try f.hasAttribute("units", on: "hosts/Cu/v"))
            #expect(try !f.hasAttribute("units", on: "hosts/Cu"))
            let missing = storageError { _ = try f.stringAttribute("nope", of: "hosts/Cu") }
            #expect(missing?.kind == .objectNotFound && missing?.description.contains("nope") == true)
            #expect(storageError { _ = try f.attribute("vectors", of: "hosts/Cu", as: Double.self) }?.kind == .shapeMismatch)
            #expect(storageError { _ = try f.attribute("creator", as: Double.self) }?.kind == .typeMismatch)
            #expect(storageError { _ = try f.stringAttribute("format_version") }?.kind == .typeMismatch)
            #expect(storageError { _ = try f.attributeNames(of: "hosts/Fe") }?.kind == .objectNotFound)
            #expect(hdf5ThreadStateIsClean)
        }
    }
}
