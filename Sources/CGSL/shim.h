#ifndef CGSL_SHIM_H
#define CGSL_SHIM_H
/* Only the GSL headers we need. Never include gsl_cblas.h / gsl_blas.h: they clash with
   OpenBLAS' cblas.h. The GSL target has no pkgConfig on purpose (pkg-config adds -lgslcblas,
   which can shadow OpenBLAS' cblas_* symbols; see docs/numerics.md). */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_legendre.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_sf_coupling.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_spline.h>

/* GSL's interpolation types are mutable extern globals, which Swift 6 rejects; accessors: */
static inline const gsl_interp_type *cgsl_interp_linear(void)  { return gsl_interp_linear; }
static inline const gsl_interp_type *cgsl_interp_cspline(void) { return gsl_interp_cspline; }
static inline const gsl_interp_type *cgsl_interp_akima(void)   { return gsl_interp_akima; }
static inline const gsl_interp_type *cgsl_interp_steffen(void) { return gsl_interp_steffen; }
#endif
