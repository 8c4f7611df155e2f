/* report.h: the self-contained HTML report of a run (map with a time
 * slider, RTT series, per-terminal bars, parameters and sources). */
#ifndef ORBNET_REPORT_H
#define ORBNET_REPORT_H

#include "orbnet/err.h"

/* Writes report.html to `path` (through a temporary file renamed when
 * complete).  data_json is the run's data as one JSON object, schema:
 *
 *   title, subtitle            strings
 *   params                     [[key, value], ...] strings shown as a table
 *   sources                    [string, ...] data sources and licences
 *   sites                      [{name, role: terminal|gateway|pop, lat, lon}]
 *   terminals                  [{name, pop, availability (0..1),
 *                                rtt_ms: {min,p50,p95,p99,max,mean} (null
 *                                members when never reachable),
 *                                handovers_per_hour, path_changes_per_hour,
 *                                mean_hops}]
 *   series                     {t_s: [seconds from start], rtt_ms: [[ms or
 *                                null per t_s] per terminal], handovers:
 *                                [[t_s of each handover] per terminal]}
 *   frames                     [{t_s, time_utc, sats: [[lat, lon, norad]],
 *                                paths: [[[lat, lon], ...] or null per
 *                                terminal]}]
 *
 * The world map (Natural Earth via world-atlas, with Ukraine's
 * internationally recognised border) is embedded; the file loads nothing
 * from the network.  Returns ORB_OK, ORB_EIO (err names the file) or
 * ORB_ENOMEM. */
int orb_report_write(const char *path, const char *data_json, orb_error_t *err);

#endif
