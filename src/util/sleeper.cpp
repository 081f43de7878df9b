#include "util/sleeper.h"

#include <thread>

namespace spotfarm::util {

void ThreadSleeper::sleep_for(Clock::duration d) {
    std::this_thread::sleep_for(d);
}

}  // namespace spotfarm::util
