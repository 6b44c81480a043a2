import CBLAS

/// OpenBLAS threading control. The solvers parallelise over energy points themselves
/// (`DispatchQueue.concurrentPerform`); OpenBLAS threads inside those workers only compete for
/// the same cores and spin in `sched_yield` (measured: ~30 % of an impurity run), so the
/// parallel regions run BLAS single-threaded.
public enum BLASThreading {
    /// Current number of OpenBLAS threads.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    public static func setThreads(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }
}
