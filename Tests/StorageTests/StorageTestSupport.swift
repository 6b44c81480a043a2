import Foundation
@testable import Storage

/// A fresh directory under the system temporary directory, removed by `cleanUp()`.
struct ScratchDirectory {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("storage-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` and returns the `StorageError` it throws (nil if it does not throw one).
func storageError(_ body: () throws -> Void) -> StorageError? {
    do { try body() } catch let e as StorageError { return e } catch { return nil }
    return nil
}

/// After every public call the calling thread's HDF5 error stack must be empty and automatic
/// printing off (notes pitfall 5).
var hdf5ThreadStateIsClean: Bool { HDF5Library.errorStackDepth == 0 && HDF5Library.isAutomaticPrintingOff }
