/* sgp4.h: the SGP4/SDP4 propagator (Vallado et al. 2006, "Revisiting
 * Spacetrack Report #3", improved mode, WGS-72), one satellite at a time or
 * a whole catalogue in structure-of-arrays batches.  Output is in TEME. */
#ifndef ORBNET_SGP4_H
#define ORBNET_SGP4_H

#include <stddef.h>

#include "orbnet/elements.h"
#include "orbnet/timeutil.h"

typedef enum orb_gravity {
    ORB_WGS72 = 0,    /* the standard for TLEs; the default everywhere */
    ORB_WGS72OLD = 1,
    ORB_WGS84 = 2
} orb_gravity_t;

/* Why SGP4 refused a satellite.  The numbers are Vallado's error codes:
 * orb_sgp4_code(status) gives 1..6 back.  orb_strerror() names them. */
enum orb_sgp4_status {
    ORB_SGP4_EMEAN_ECC = -101,   /* 1: mean eccentricity not in [0,1) or a < 0.95 er */
    ORB_SGP4_EMEAN_MOTION = -102,/* 2: mean motion below zero */
    ORB_SGP4_EPERT_ECC = -103,   /* 3: perturbed eccentricity not in [0,1] */
    ORB_SGP4_ESEMILATUS = -104,  /* 4: semi-latus rectum below zero */
    ORB_SGP4_ESUBORBITAL = -105, /* 5: epoch elements sub-orbital (unused) */
    ORB_SGP4_EDECAYED = -106     /* 6: satellite has decayed (r < 1 earth radius) */
};

/* Largest |minutes from epoch| propagated (about 190 years).  Far beyond
 * any meaningful use of SGP4; it bounds the deep-space resonance
 * integration, whose cost grows with |t| (720-minute steps). */
#define ORB_SGP4_MAX_TSINCE_MIN 1.0e8

/* Vallado's numeric code (1..6) for an orb_sgp4_status, 0 for ORB_OK. */
int orb_sgp4_code(int status);

/* A satellite's initialised propagator state (Vallado's "satrec"); opaque
 * (the layout is in src/sgp4_internal.h). */
typedef struct orb_sgp4 orb_sgp4_t;

/* Allocates and initialises the propagator for one satellite.  Returns
 * ORB_OK, ORB_ENOMEM, or an orb_sgp4_status when the elements cannot be
 * propagated at all (the satellite is then not usable). *out is NULL on
 * failure. */
int orb_sgp4_create(const orb_elements_t *el, orb_gravity_t grav, orb_sgp4_t **out);
void orb_sgp4_destroy(orb_sgp4_t *s);

/* Position (km) and velocity (km/s) in TEME at tsince_min minutes from the
 * element epoch.  Pure: the state is not modified, so one orb_sgp4_t may be
 * shared by threads.  Returns ORB_OK or an orb_sgp4_status, or ORB_EINVAL
 * when |tsince_min| exceeds ORB_SGP4_MAX_TSINCE_MIN (or is NaN); on failure
 * r_km and v_km_s are set to zero, never to NaN. */
int orb_sgp4_propagate(const orb_sgp4_t *s, double tsince_min,
                       double r_km[3], double v_km_s[3]);

/* The element epoch of an initialised satellite. */
orb_time_t orb_sgp4_epoch(const orb_sgp4_t *s);

/* ---- batches: a catalogue in structure-of-arrays form ---- */

/* Positions and velocities of n satellites at one instant, TEME or ECEF
 * depending on the producer; status[i] is ORB_OK or an orb_sgp4_status. */
typedef struct orb_states {
    size_t count;
    double *x_km, *y_km, *z_km;
    double *vx_km_s, *vy_km_s, *vz_km_s;
    int *status;
} orb_states_t;

/* Allocates arrays for n states (zeroed).  NULL when out of memory. */
orb_states_t *orb_states_create(size_t n);
void orb_states_destroy(orb_states_t *st);

typedef struct orb_sgp4_batch orb_sgp4_batch_t;

/* Initialises every satellite of cat.  Satellites whose elements SGP4
 * refuses stay in the batch (so indices match cat) and report their status
 * at every propagation; init_status (may be NULL, else cat->count ints)
 * receives each satellite's init status.  Returns ORB_OK or ORB_ENOMEM. */
int orb_sgp4_batch_create(const orb_catalog_t *cat, orb_gravity_t grav,
                          orb_sgp4_batch_t **out, int *init_status);
void orb_sgp4_batch_destroy(orb_sgp4_batch_t *b);
size_t orb_sgp4_batch_count(const orb_sgp4_batch_t *b);

/* Propagates satellites [begin, end) to UTC instant t, writing TEME states
 * into out at the same indices (end is clipped to the batch's and out's
 * counts).  Near-Earth satellites
 * run through a vectorised path; deep-space ones through the scalar one;
 * the results equal orb_sgp4_propagate's.  Safe to call from several
 * threads on disjoint ranges. */
void orb_sgp4_batch_propagate(const orb_sgp4_batch_t *b, orb_time_t t,
                              size_t begin, size_t end, orb_states_t *out);

/* As orb_sgp4_batch_propagate, but satellite i goes to tsince_min[i]
 * minutes from its own epoch (tsince_min is indexed like the catalogue and
 * read in [begin, end)).  Results equal orb_sgp4_propagate(s_i, tsince_min[i]). */
void orb_sgp4_batch_propagate_tsince(const orb_sgp4_batch_t *b,
                                     const double *tsince_min, size_t begin,
                                     size_t end, orb_states_t *out);

#endif
