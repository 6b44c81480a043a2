/// What a host calculation leaves for the pairs of that host (converged potential, Fermi level,
/// lattice constant, …, as chosen by the physics layer). Cached per host in
/// `hosts/<Cu-fcc>.h5` of the output directory and reused on restart, so a pair job must be able
/// to work from the payload alone (it is stored bit-exactly).
public struct HostArtifact: Sendable, Equatable {
    public let host: HostKey
    public let payload: RecordPayload
    public let provenance: Provenance

    public init(host: HostKey, payload: RecordPayload, provenance: Provenance) {
        self.host = host
        self.payload = payload
        self.provenance = provenance
    }
}
