#include "manager/prometheus_text.h"

#include <cmath>

#include <fmt/format.h>

namespace spotfarm::manager {

Histogram::Histogram(std::vector<double> bounds)
    : m_bounds(std::move(bounds)), m_counts(m_bounds.size() + 1, 0) {}

void Histogram::observe(double value) {
    std::size_t i = 0;
    while (i < m_bounds.size() && value > m_bounds[i]) ++i;
    ++m_counts[i];
    m_sum += value;
    ++m_count;
}

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string sample_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::abs(value) < 1e15) {
        return fmt::format("{}", static_cast<long long>(value));
    }
    return fmt::format("{}", value);
}

PrometheusText& PrometheusText::family(std::string_view name, std::string_view type,
                                       std::string_view help) {
    fmt::format_to(std::back_inserter(m_text), "# HELP {} {}\n# TYPE {} {}\n", name, help, name,
                   type);
    return *this;
}

PrometheusText& PrometheusText::sample(std::string_view name, double value, const Labels& labels) {
    m_text += name;
    if (!labels.empty()) {
        m_text += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            fmt::format_to(std::back_inserter(m_text), "{}{}=\"{}\"", i == 0 ? "" : ",",
                           labels[i].first, escape_label_value(labels[i].second));
        }
        m_text += '}';
    }
    m_text += ' ';
    m_text += sample_value(value);
    m_text += '\n';
    return *this;
}

PrometheusText& PrometheusText::histogram(std::string_view name, std::string_view help,
                                          const Histogram& h) {
    family(name, "histogram", help);
    const std::string bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.bounds().size(); ++i) {
        cumulative += h.counts()[i];
        sample(bucket, static_cast<double>(cumulative), {{"le", sample_value(h.bounds()[i])}});
    }
    sample(bucket, static_cast<double>(h.count()), {{"le", "+Inf"}});
    sample(std::string(name) + "_sum", h.sum());
    sample(std::string(name) + "_count", static_cast<double>(h.count()));
    return *this;
}

}  // namespace spotfarm::manager
