/* vec.h: small 3-vector helpers on plain double[3] arrays. */
#ifndef ORBNET_VEC_H
#define ORBNET_VEC_H

#include <math.h>

static inline double orb_vec_dot(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static inline double orb_vec_norm(const double a[3])
{
    return sqrt(orb_vec_dot(a, a));
}

/* out = a - b (out may alias a or b) */
static inline void orb_vec_sub(const double a[3], const double b[3], double out[3])
{
    out[0] = a[0] - b[0];
    out[1] = a[1] - b[1];
    out[2] = a[2] - b[2];
}

/* out = a x b (out must not alias a or b) */
static inline void orb_vec_cross(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

static inline double orb_vec_dist(const double a[3], const double b[3])
{
    double d[3];
    orb_vec_sub(a, b, d);
    return orb_vec_norm(d);
}

#endif
