#include "estimate/price_table.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/text_file.h"

namespace spotfarm::estimate {
namespace {

constexpr std::string_view k_format_hint =
    "expected {\"generated\": \"YYYY-MM-DD\", \"region\": ..., \"instances\": [{\"type\": "
    "\"c7i.4xlarge\", \"vcpus\": 16, \"memory_gib\": 32, \"on_demand_usd_per_hour\": 0.714, "
    "\"typical_spot_discount\": 0.55}, ...]} as in data/aws-prices.json";

util::Result<InstancePrice> parse_instance(const nlohmann::json& j, std::size_t index) {
    const std::string where = fmt::format("instance #{}", index + 1);
    if (!j.is_object()) return util::make_error(fmt::format("{} is not an object", where));
    InstancePrice price;
    if (!j.contains("type") || !j["type"].is_string() || j["type"].get<std::string>().empty()) {
        return util::make_error(fmt::format("{} has no \"type\" name", where));
    }
    price.type = j["type"].get<std::string>();
    const std::string named = fmt::format("instance {}", price.type);
    for (const char* key : {"vcpus", "memory_gib", "on_demand_usd_per_hour"}) {
        if (!j.contains(key) || !j[key].is_number() || j[key].get<double>() <= 0) {
            return util::make_error(fmt::format("{} needs a positive number \"{}\"", named, key));
        }
    }
    price.vcpus = j["vcpus"].get<int>();
    price.memory_gib = j["memory_gib"].get<double>();
    price.on_demand_usd_per_hour = j["on_demand_usd_per_hour"].get<double>();
    if (j.contains("gpus")) {
        if (!j["gpus"].is_number_integer() || j["gpus"].get<int>() < 0) {
            return util::make_error(fmt::format("{}: \"gpus\" must be a whole number >= 0", named));
        }
        price.gpus = j["gpus"].get<int>();
    }
    if (j.contains("typical_spot_discount")) {
        const auto& d = j["typical_spot_discount"];
        if (!d.is_number() || d.get<double>() < 0 || d.get<double>() >= 1) {
            return util::make_error(fmt::format(
                "{}: \"typical_spot_discount\" must be a fraction from 0 to below 1 (0.6 = 60 % "
                "off)",
                named));
        }
        price.typical_spot_discount = d.get<double>();
    }
    return price;
}

std::string string_field(const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

const InstancePrice* PriceTable::find(std::string_view type) const {
    const auto it = std::find_if(instances.begin(), instances.end(),
                                 [&](const InstancePrice& p) { return p.type == type; });
    return it == instances.end() ? nullptr : &*it;
}

util::Result<PriceTable> parse_price_table(std::string_view json, std::string_view source) {
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        return util::make_error(
            fmt::format("price table {} is not valid JSON; {}", source, k_format_hint));
    }
    if (!j.is_object() || !j.contains("instances") || !j["instances"].is_array() ||
        j["instances"].empty()) {
        return util::make_error(
            fmt::format("price table {} lists no instances; {}", source, k_format_hint));
    }
    PriceTable table;
    table.generated = string_field(j, "generated");
    table.region = string_field(j, "region");
    table.currency = string_field(j, "currency");
    if (table.currency.empty()) table.currency = "USD";
    table.note = string_field(j, "note");
    table.source = std::string(source);
    if (table.generated.empty()) {
        return util::make_error(fmt::format(
            "price table {} has no \"generated\" date; say when its prices were taken", source));
    }
    for (std::size_t i = 0; i < j["instances"].size(); ++i) {
        auto price = parse_instance(j["instances"][i], i);
        if (!price) {
            return util::make_error(
                fmt::format("price table {}: {}", source, price.error().message));
        }
        if (table.find(price->type)) {
            return util::make_error(
                fmt::format("price table {}: instance {} is listed twice", source, price->type));
        }
        table.instances.push_back(std::move(*price));
    }
    return table;
}

util::Result<PriceTable> builtin_price_table() {
    return parse_price_table(k_aws_prices_json, "built-in");
}

util::Result<PriceTable> load_price_table(
    const std::optional<std::filesystem::path>& override_path) {
    if (!override_path) return builtin_price_table();
    auto text = util::read_text_file(*override_path, 4 * 1024 * 1024);
    if (!text) return util::make_error(fmt::format("price table: {}", text.error().message));
    return parse_price_table(*text, override_path->string());
}

}  // namespace spotfarm::estimate
