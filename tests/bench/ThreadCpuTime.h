#pragma once
// The CPU time of the calling thread, for benchmarks that print per-item cost.
#include <ctime>

namespace softphone::bench {

inline double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace softphone::bench
