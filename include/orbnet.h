/* orbnet.h: the whole public API of liborbnet. */
#ifndef ORBNET_H
#define ORBNET_H

#include "orbnet/alloc.h"
#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/frames.h"
#include "orbnet/omm.h"
#include "orbnet/sgp4.h"
#include "orbnet/timeutil.h"
#include "orbnet/tle.h"
#include "orbnet/vec.h"

#endif
