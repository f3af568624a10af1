#include "CallQuality.h"

#include <algorithm>

namespace softphone::media {

int CallQuality::bars() const
{
    if (framesReceived == 0)
        return -1;
    const double lost = lossPercent + latePercent;
    int bars = 4;
    for (const double step : {1.0, 3.0, 8.0, 15.0})
        bars -= lost > step ? 1 : 0;
    for (const double step : {40.0, 80.0})
        bars -= jitterMs > step ? 1 : 0;
    for (const double step : {300.0, 600.0})
        bars -= roundTripMs > step ? 1 : 0;
    return std::max(bars, 0);
}

} // namespace softphone::media
