#pragma once
// Quantiles of the normal and Student t distributions, for confidence intervals.

namespace spotfarm::util {

// The x with P(Z <= x) = p for a standard normal Z; 0 < p < 1 (Acklam's rational approximation
// refined by one Halley step: relative error below 1e-12).
double normal_quantile(double p);

// The x with P(T <= x) = p for Student's t with `dof` >= 1 degrees of freedom; 0 < p < 1.
// Closed forms for 1 and 2 degrees of freedom; above, a Cornish-Fisher start polished by Newton
// steps on the distribution function (absolute error below 1e-9).
double student_t_quantile(double p, int dof);

}  // namespace spotfarm::util
