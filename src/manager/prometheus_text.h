#pragma once
// The Prometheus text exposition format (version 0.0.4), written family by family: a HELP and a
// TYPE line, then the samples, label values escaped. Histograms are written cumulative, with
// their +Inf bucket, _sum and _count.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spotfarm::manager {

using Labels = std::vector<std::pair<std::string, std::string>>;

// A histogram's state: counts per upper bound (not cumulative), and the sum of what was seen.
class Histogram {
public:
    // `bounds` ascending, without +Inf.
    explicit Histogram(std::vector<double> bounds);
    void observe(double value);

    const std::vector<double>& bounds() const { return m_bounds; }
    // Per bound, then one more for values above the last bound.
    const std::vector<std::uint64_t>& counts() const { return m_counts; }
    double sum() const { return m_sum; }
    std::uint64_t count() const { return m_count; }

private:
    std::vector<double> m_bounds;
    std::vector<std::uint64_t> m_counts;
    double m_sum = 0;
    std::uint64_t m_count = 0;
};

class PrometheusText {
public:
    // Starts a family: "# HELP name help" and "# TYPE name type" (counter, gauge, histogram).
    PrometheusText& family(std::string_view name, std::string_view type, std::string_view help);
    PrometheusText& sample(std::string_view name, double value, const Labels& labels = {});
    // A whole histogram family: buckets (cumulative, le="+Inf" last), _sum and _count.
    PrometheusText& histogram(std::string_view name, std::string_view help, const Histogram& h);

    const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

// A label value as the format wants it: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);

// A number as the format writes it: integers without a fraction, +Inf, -Inf, NaN.
std::string sample_value(double value);

}  // namespace spotfarm::manager
