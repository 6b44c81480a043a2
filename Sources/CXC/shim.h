#ifndef CXC_SHIM_H
#define CXC_SHIM_H
/* libxc: energies and potentials in Hartree; zk is the energy per particle. */
#include <xc.h>
#include <xc_funcs.h>
#endif
