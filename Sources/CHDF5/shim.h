#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H
/* Debian serial HDF5: headers in /usr/include/hdf5/serial (pkg-config hdf5-serial adds -I). */
#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include "/usr/include/hdf5/serial/hdf5.h"
#endif
/* HDF5 "constants" that are macros calling H5open() are not imported by Swift: wrap them. */
static inline hid_t    chdf5_T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t    chdf5_T_NATIVE_INT(void)    { return H5T_NATIVE_INT; }
static inline hid_t    chdf5_T_NATIVE_INT64(void)  { return H5T_NATIVE_INT64; }
static inline hid_t    chdf5_T_C_S1(void)          { return H5T_C_S1; }
static inline unsigned chdf5_F_ACC_TRUNC(void)     { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_F_ACC_EXCL(void)      { return H5F_ACC_EXCL; }
static inline unsigned chdf5_F_ACC_RDONLY(void)    { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_F_ACC_RDWR(void)      { return H5F_ACC_RDWR; }
static inline hid_t    chdf5_P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static const hid_t chdf5_P_DEFAULT = H5P_DEFAULT;
static const hid_t chdf5_S_ALL = H5S_ALL;
static const hid_t chdf5_E_DEFAULT = H5E_DEFAULT;
#endif
