import Foundation

/// Runs a closure for each item on `workers` threads (each takes the next item when it is free).
/// Plain threads, not the Dispatch pool, so that the physics code may use
/// `DispatchQueue.concurrentPerform` inside a job. An error thrown by the closure stops the pool:
/// running items finish, no new ones start, and the first error is rethrown.
enum WorkerPool {
    /// Stack size of the worker threads (the physics code keeps sizeable arrays on the stack).
    static let stackSize = 16 << 20

    static func run<Item: Sendable>(_ items: [Item], workers: Int, _ body: @escaping @Sendable (Item) throws -> Void) throws {
        let queue = Queue(items)
        let group = DispatchGroup()
        for _ in 0..<min(max(workers, 1), items.count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let item = queue.next() {
                    do { try body(item) } catch { queue.stop(error); return }
                }
            }
            thread.stackSize = stackSize
            thread.start()
        }
        group.wait()
        if let error = queue.error { throw error }
    }

    private final class Queue<Item: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Item]
        private var position = 0
        private(set) var error: Error?

        init(_ items: [Item]) { self.items = items }

        func next() -> Item? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil, position < items.count else { return nil }
            position += 1
            return items[position - 1]
        }

        func stop(_ e: Error) {
            lock.lock()
            if error == nil { error = e }
            lock.unlock()
        }
    }
}
