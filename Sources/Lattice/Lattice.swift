/// Module `Lattice` (see README.md layout). Its implementation lands with its issue.
enum LatticeModule {}
