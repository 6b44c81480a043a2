import Dispatch
import Foundation
import KKRNumerics

/// Evaluates `body(i)` for i in 0..<count on all cores (`DispatchQueue.concurrentPerform`) and
/// returns the results in order. The first error thrown by any iteration is rethrown.
func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    try parallelMapPublic(count, body)
}

/// `parallelMap` for other modules (the impurity solver).
public func parallelMapPublic<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    // BLAS single-threaded inside the parallel region (see `BLASThreading`).
    let blasThreads = BLASThreading.threads
    if blasThreads != 1 { BLASThreading.setThreads(1) }
    defer { if blasThreads != 1 { BLASThreading.setThreads(blasThreads) } }
    let box = ParallelResults<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        do { box.set(i, try body(i)) } catch { box.fail(error) }
    }
    return try box.values()
}

/// Thread-safe result slots for `parallelMap`.
final class ParallelResults<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    private var error: Error?

    init(count: Int) { slots = [T?](repeating: nil, count: count) }

    func set(_ i: Int, _ v: T) { lock.lock(); slots[i] = v; lock.unlock() }
    func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }

    func values() throws -> [T] {
        lock.lock(); defer { lock.unlock() }
        if let e = error { throw e }
        return slots.map { $0! }
    }
}
