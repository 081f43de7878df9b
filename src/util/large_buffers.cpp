#include "util/large_buffers.h"

#include <malloc.h>

namespace spotfarm::util {

void keep_large_buffers() {
    // 32 MiB is glibc's upper bound for the threshold on 64-bit machines; a transfer buffer
    // (16 MiB) is below it. Trimming only above 512 MiB keeps a few freed buffers ready.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

}  // namespace spotfarm::util
