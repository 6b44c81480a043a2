#ifndef CLAPACKE_SHIM_H
#define CLAPACKE_SHIM_H
/* Swift cannot import C99 `double _Complex`; LAPACK lets the user supply the complex type
   (lapack.h: #ifndef lapack_complex_double). A two-double struct has the same layout. */
typedef struct { float  real; float  imag; } clapacke_complex_float;
typedef struct { double real; double imag; } clapacke_complex_double;
#define lapack_complex_float  clapacke_complex_float
#define lapack_complex_double clapacke_complex_double
#include <lapacke.h>
#endif
