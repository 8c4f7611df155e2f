/* constellation_internal.h (internal): the steps of building a
 * constellation shared by constellation.c and constellation_infer.c. */
#ifndef ORBNET_SRC_CONSTELLATION_INTERNAL_H
#define ORBNET_SRC_CONSTELLATION_INTERNAL_H

#include "orbnet/constellation.h"

/* Mean altitude a(Kozai n) - 6378.137 km of an element set. */
double orb__mean_altitude_km(const orb_elements_t *el);

/* RAAN and argument of latitude of el at instant ref, moved by the J2
 * secular rates and the ndot drag term. */
void orb__elements_at(const orb_elements_t *el, orb_time_t ref, double *raan_rad,
                      double *u_rad);

/* Appends a shell; returns its index or -1 when out of memory. */
int orb__constellation_add_shell(orb_constellation_t *c, const orb_shell_info_t *info);

/* Infers shell, plane and slot for satellites [first, first + n) of c,
 * whose raan_ref_rad and u_ref_rad are already filled, appending the
 * shells found.  Returns ORB_OK or ORB_ENOMEM. */
int orb__constellation_infer(orb_constellation_t *c, size_t first, size_t n,
                             const orb_infer_params_t *p);

#endif
