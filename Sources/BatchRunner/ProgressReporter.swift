import Foundation

/// How `dataset generate` reports progress on stderr.
public enum ProgressMode: String, Sendable, Equatable {
    /// A redrawn bar if stderr is a terminal, else one line per finished pair.
    case automatic
    /// A progress bar redrawn in place ("\r").
    case bar
    /// One line per finished pair (logs, Slurm output files).
    case lines
    /// Nothing.
    case silent
}

/// Counts finished pairs and renders the progress bar / log lines with the mean time per pair
/// and the ETA. Thread-safe; output goes through `sink` (stderr by default).
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let mode: ProgressMode
    private let sink: @Sendable (String) -> Void
    private let total: Int
    private let start: Date
    private(set) var done = 0
    private(set) var failed = 0
    private var pairSeconds = 0.0

    init(total: Int, mode: ProgressMode, sink: @escaping @Sendable (String) -> Void, start: Date = Date()) {
        self.total = total
        self.mode = mode == .automatic ? (isatty(STDERR_FILENO) == 1 ? .bar : .lines) : mode
        self.sink = sink
        self.start = start
    }

    /// A free-form message (own line; in bar mode it clears the bar first).
    func message(_ text: String) {
        guard mode != .silent else { return }
        sink(mode == .bar ? "\r\u{1B}[2K\(text)\n" : "\(text)\n")
    }

    /// Counts a finished record and prints.
    func finished(_ record: PairRecord, now: Date = Date()) {
        lock.lock()
        if record.status == .ok { done += 1 } else { failed += 1 }
        pairSeconds += record.wallSeconds
        let state = snapshot(now: now)
        lock.unlock()
        switch mode {
        case .silent, .automatic: return
        case .bar: sink("\r\u{1B}[2K" + ProgressReporter.bar(state))
        case .lines: sink(ProgressReporter.line(state, record: record) + "\n")
        }
    }

    /// Ends the bar line.
    func finish() {
        if mode == .bar { sink("\n") }
    }

    /// The counters at one moment.
    struct State: Equatable {
        var done, failed, total: Int
        var elapsedSeconds: Double
        var meanPairSeconds: Double
        /// Remaining wall time at the throughput so far, nil before the first pair.
        var etaSeconds: Double? {
            let finished = done + failed
            guard finished > 0 else { return nil }
            return elapsedSeconds / Double(finished) * Double(total - finished)
        }
    }

    private func snapshot(now: Date) -> State {
        let finished = done + failed
        return State(done: done, failed: failed, total: total, elapsedSeconds: now.timeIntervalSince(start),
                     meanPairSeconds: finished > 0 ? pairSeconds / Double(finished) : 0)
    }

    /// "[##########··········] 12/40 ok 11, failed 1, left 28 | 3.2 s/pair | ETA 1m26s"
    static func bar(_ s: State, width: Int = 20) -> String {
        let finished = s.done + s.failed
        let filled = s.total > 0 ? width * finished / s.total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
        return "[\(bar)] \(finished)/\(s.total) ok \(s.done), failed \(s.failed), left \(s.total - finished) | "
            + String(format: "%.1f s/pair", s.meanPairSeconds) + " | ETA \(duration(s.etaSeconds))"
    }

    /// "[12/40] Cu-fcc/Fe ok 3.20 s | failed 1 | ETA 1m26s" (failures add ": <error>").
    static func line(_ s: State, record: PairRecord) -> String {
        let finished = s.done + s.failed
        var text = "[\(finished)/\(s.total)] \(record.pair.id) \(record.status.rawValue) " + String(format: "%.2f s", record.wallSeconds)
        if let e = record.error { text += ": \(e.prefix(200))" }
        return text + " | failed \(s.failed) | ETA \(duration(s.etaSeconds))"
    }

    /// "42s", "3m05s", "2h07m", "--" for unknown.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "--" }
        let t = Int(seconds.rounded())
        if t < 60 { return "\(t)s" }
        if t < 3600 { return String(format: "%dm%02ds", t / 60, t % 60) }
        return String(format: "%dh%02dm", t / 3600, (t % 3600) / 60)
    }
}
