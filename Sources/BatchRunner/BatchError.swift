/// An error of the dataset batch runner that stops a command (as opposed to a failing pair, which
/// is recorded in the shard file and does not stop the batch). Every message says what is wrong,
/// where (file path, argument) and what to do.
public struct BatchError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A command-line value is malformed (shard spec, element list, lattice).
        case invalidArgument
        /// The output directory (or file) cannot be created or written.
        case outputNotWritable
        /// An existing file is unreadable or not in the dataset layout.
        case corruptFile
        /// An existing file was produced with other settings than the current run.
        case settingsMismatch
        /// Two records of the same pair disagree (merge without `--prefer newest`).
        case conflictingRecords
        /// Another process holds the lock of this shard.
        case shardLocked
        /// The output file exists (merge without `--force`).
        case outputExists
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
