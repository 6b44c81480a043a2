#ifndef CBLAS_SHIM_H
#define CBLAS_SHIM_H
/* OpenBLAS' cblas.h. Complex arguments are `const void *` (UnsafeRawPointer in Swift).
   Functions that return C99 complex (cblas_zdotu/zdotc) are not importable: use the *_sub forms. */
#include <cblas.h>
#include <complex.h>

/* Layout probes so a test can check that Swift's Complex<Double> is C's double _Complex. */
static inline unsigned long cshim_sizeof_double_complex(void) { return sizeof(double _Complex); }
static inline unsigned long cshim_alignof_double_complex(void) { return _Alignof(double _Complex); }
static inline double cshim_creal_at(const void *p, long i) { return creal(((const double _Complex *)p)[i]); }
static inline double cshim_cimag_at(const void *p, long i) { return cimag(((const double _Complex *)p)[i]); }
static inline void cshim_set_at(void *p, long i, double re, double im) { ((double _Complex *)p)[i] = re + im * I; }
#endif
