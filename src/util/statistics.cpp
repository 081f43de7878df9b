#include "util/statistics.h"

#include <cmath>
#include <numbers>

namespace spotfarm::util {

double normal_quantile(double p) {
    // Peter J. Acklam's algorithm.
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                   -2.759285104469687e+02, 1.383577518672690e+02,
                                   -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                   -1.556989798598866e+02, 6.680131188771972e+01,
                                   -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                   -2.400758277161838e+00, -2.549732539343734e+00,
                                   4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                   2.445134137142996e+00, 3.754408661907416e+00};
    constexpr double low = 0.02425;
    double x;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - low) {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    // One Halley step on the exact CDF.
    const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
    const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

namespace {

// The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz).
double incomplete_beta(double x, double a, double b) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                  a * std::log(x) + b * std::log1p(-x));
    // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
    if (x > (a + 1) / (a + b + 2)) return 1 - incomplete_beta(1 - x, b, a);
    constexpr double tiny = 1e-300;
    double f = 1, c = 1, d = 0;
    for (int i = 0; i <= 300; ++i) {
        const int m = i / 2;
        double numerator;
        if (i == 0) {
            numerator = 1;
        } else if (i % 2 == 0) {
            numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
        } else {
            numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
        }
        d = 1 + numerator * d;
        if (std::abs(d) < tiny) d = tiny;
        d = 1 / d;
        c = 1 + numerator / c;
        if (std::abs(c) < tiny) c = tiny;
        const double cd = c * d;
        f *= cd;
        if (std::abs(1 - cd) < 1e-15) break;
    }
    return front * (f - 1) / a;
}

double student_t_cdf(double t, double dof) {
    const double tail = 0.5 * incomplete_beta(dof / (dof + t * t), dof / 2, 0.5);
    return t > 0 ? 1 - tail : tail;
}

double student_t_pdf(double t, double dof) {
    return std::exp(std::lgamma((dof + 1) / 2) - std::lgamma(dof / 2) -
                    0.5 * std::log(dof * std::numbers::pi) -
                    (dof + 1) / 2 * std::log1p(t * t / dof));
}

}  // namespace

double student_t_quantile(double p, int dof) {
    if (dof == 1) return std::tan(std::numbers::pi * (p - 0.5));
    if (dof == 2) return (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    // Start from the Cornish-Fisher expansion in the normal quantile (Abramowitz & Stegun
    // 26.7.5), then polish with Newton steps on the exact distribution function.
    const double z = normal_quantile(p);
    const double n = dof;
    const double z2 = z * z;
    const double g1 = (z2 + 1) * z / 4;
    const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    double t = z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n);
    for (int i = 0; i < 8; ++i) {
        const double step = (student_t_cdf(t, n) - p) / student_t_pdf(t, n);
        t -= step;
        if (std::abs(step) < 1e-12 * (1 + std::abs(t))) break;
    }
    return t;
}

}  // namespace spotfarm::util
