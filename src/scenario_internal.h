/* scenario_internal.h (internal): the parse state shared by scenario.c
 * (sections and keys) and scenario_values.c (value syntax). */
#ifndef ORBNET_SRC_SCENARIO_INTERNAL_H
#define ORBNET_SRC_SCENARIO_INTERNAL_H

#include <stdio.h>

#include "orbnet/scenario.h"

enum {
    SEC_SCENARIO, SEC_CONSTELLATION, SEC_SHELL, SEC_GROUND, SEC_LINKS,
    SEC_ROUTING, SEC_FAULTS, SEC_TRAFFIC, SEC_OUTPUT, SEC_COUNT
};

#define SCN_MAX_LINE 4096
#define SCN_OPEN_LOW 1 /* scn_double: the lower bound itself is not allowed */

typedef struct scn_ctx {
    orb_scenario_t *sc;
    FILE *fp;
    const char *file;    /* INI path for messages */
    long line;           /* line being parsed (1-based) */
    int section;         /* SEC_*, -1 before the first section */
    int keys_in_section; /* keys seen since the last [section] line */
    const char *key;     /* key being parsed, for messages */
    int status;          /* first error, ORB_OK until then */
    orb_error_t *err;
    size_t key_count;
    long *seen;          /* per key: line where it was first set, 0 = unset */
    long *shell_seen;    /* per shell, key_count entries each */
    long *shell_lines;   /* line of each [shell NAME] header */
    size_t shell_cap;
} scn_ctx_t;

int scn_ctx_init(scn_ctx_t *c, orb_scenario_t *sc, const char *file,
                 size_t key_count, orb_error_t *err);
void scn_ctx_free(scn_ctx_t *c);

/* Record the first error (later ones are ignored) and return its code. */
int scn_fail(scn_ctx_t *c, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int scn_fail_key(scn_ctx_t *c, int code, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
int scn_fail_at(scn_ctx_t *c, long line, const char *key, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

char *scn_trim(char *s);
long *scn_seen(scn_ctx_t *c, size_t key_index);
size_t scn_key_index(int section, const char *key);
size_t scn_key_count(void);

/* value parsers: fill *out or record an error naming c->line and c->key */
int scn_double(scn_ctx_t *c, const char *v, double lo, double hi, int flags, double *out);
int scn_angle(scn_ctx_t *c, const char *v, double lo_deg, double hi_deg, double *out_rad);
int scn_int(scn_ctx_t *c, const char *v, int lo, int hi, int *out);
int scn_bool(scn_ctx_t *c, const char *v, int *out);
int scn_enum(scn_ctx_t *c, const char *v, const char *const *words, int *out);
int scn_string(scn_ctx_t *c, const char *v, char *buf, size_t n);
int scn_path_list(scn_ctx_t *c, const char *v, orb_site_role_t role,
                  orb_scenario_file_t **files, size_t *count);
int scn_id_list(scn_ctx_t *c, const char *v, long **ids, long **lines, size_t *count);
int scn_name_list(scn_ctx_t *c, const char *v, char ***names, size_t *count);
int scn_isl(scn_ctx_t *c, const char *v);
int scn_jam(scn_ctx_t *c, const char *v);

/* [shell NAME] handling (scenario_shells.c) */
int scn_shell_begin(scn_ctx_t *c, const char *name);
orb_walker_shell_t *scn_shell(scn_ctx_t *c);
int scn_shells_finish(scn_ctx_t *c);

#endif
