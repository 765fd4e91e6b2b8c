// Header-only module: see include/CFuzzerDriver.h.
#include "CFuzzerDriver.h"
