#pragma once
// The [worker] table of the config file (~/.config/spotfarm/config.toml): settings a machine's
// owner fixes once for every worker it runs, whatever starts them.
//
//   [worker]
//   refuse_scripts = true   # never render a job whose scene may run Python

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "util/result.h"

namespace spotfarm::cli {

struct WorkerFileSettings {
    bool refuse_scripts = false;
};

// Parses the config file's text (`path` names it in messages). Fails on bad TOML, or on a key of
// [worker] it does not know or whose value has the wrong type; no [worker] table: the defaults.
util::Result<WorkerFileSettings> parse_worker_settings(std::string_view text,
                                                       const std::filesystem::path& path);

// Reads `path` when it exists; a missing file gives the defaults.
util::Result<WorkerFileSettings> read_worker_settings(const std::filesystem::path& path);

// A size as --cache-size takes it: bytes, or a number with K, M, G or T (powers of 1024; "GiB",
// "GB" and lower case read the same), e.g. "20G", "1.5T", "512M". At least 1 MiB.
util::Result<std::int64_t> parse_byte_size(std::string_view text);

}  // namespace spotfarm::cli
