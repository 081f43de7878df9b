#pragma once
// Transfers move data in buffers of 16 MiB (chunks, ranges, frames). glibc hands out buffers that
// large with a fresh mmap each time and unmaps them on free, so every request paid for zeroed
// pages and a page fault per 4 KiB: on a virtual machine that cost more than the copy itself
// (about 200 MB/s instead of 1 GB/s on loopback). Kept on the heap and reused instead.

namespace spotfarm::util {

// Raises malloc's mmap threshold to its largest (32 MiB) and keeps freed memory for reuse.
// Call once at the start of main, before any thread starts.
void keep_large_buffers();

}  // namespace spotfarm::util
