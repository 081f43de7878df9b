#pragma once
// EC2 instance prices for cost estimates: a table bundled into the binary
// (data/aws-prices.json, approximate list prices as of its `generated` date), or a file of the
// same format given by the user.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace spotfarm::estimate {

// data/aws-prices.json, compiled in (cmake/embedded_files.cmake).
extern const std::string_view k_aws_prices_json;

struct InstancePrice {
    std::string type;  // "c7i.4xlarge"
    int vcpus = 0;
    double memory_gib = 0;
    int gpus = 0;
    double on_demand_usd_per_hour = 0;
    double typical_spot_discount = 0;  // 0.6 = Spot is typically 60 % cheaper than on-demand
    double spot_usd_per_hour() const {
        return on_demand_usd_per_hour * (1 - typical_spot_discount);
    }
};

struct PriceTable {
    std::string generated;  // date the figures were written down, "YYYY-MM-DD"
    std::string region;     // "us-east-1"
    std::string currency;   // "USD"
    std::string note;       // where the figures come from and how far to trust them
    std::string source;     // "built-in" or the file it was read from
    std::vector<InstancePrice> instances;

    // The entry for an instance type, or nullptr.
    const InstancePrice* find(std::string_view type) const;
};

// Parses the JSON format of data/aws-prices.json; `source` names the text in error messages.
util::Result<PriceTable> parse_price_table(std::string_view json, std::string_view source);

// The bundled table.
util::Result<PriceTable> builtin_price_table();

// The table in `override_path` when given, else the bundled one.
util::Result<PriceTable> load_price_table(
    const std::optional<std::filesystem::path>& override_path);

}  // namespace spotfarm::estimate
