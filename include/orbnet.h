/* orbnet.h: the whole public API of liborbnet. */
#ifndef ORBNET_H
#define ORBNET_H

#include "orbnet/alloc.h"
#include "orbnet/assign.h"
#include "orbnet/constellation.h"
#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/fetch.h"
#include "orbnet/frames.h"
#include "orbnet/ground.h"
#include "orbnet/links.h"
#include "orbnet/metrics.h"
#include "orbnet/omm.h"
#include "orbnet/output.h"
#include "orbnet/passes.h"
#include "orbnet/report.h"
#include "orbnet/route.h"
#include "orbnet/scenario.h"
#include "orbnet/sgp4.h"
#include "orbnet/sim.h"
#include "orbnet/timeutil.h"
#include "orbnet/tle.h"
#include "orbnet/vec.h"
#include "orbnet/walker.h"

#endif
