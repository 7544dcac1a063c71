// SPDX-License-Identifier: AGPL-3.0-or-later
// Curve: piecewise-linear and monotone cubic curves, and their inverses.
#include "core/color/curve.hpp"

#include <algorithm>
#include <cmath>

namespace ripline::color {

namespace {

// Fritsch-Carlson tangents: the secant average, cut back where it would
// make the cubic overshoot, and zero at local extrema.
std::vector<double> monotone_slopes(const std::vector<double>& x,
                                    const std::vector<double>& y)
{
    size_t n = x.size();
    std::vector<double> secant(n - 1), slope(n);
    for (size_t i = 0; i + 1 < n; ++i)
        secant[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
    slope[0] = secant[0];
    slope[n - 1] = secant[n - 2];
    for (size_t i = 1; i + 1 < n; ++i)
        slope[i] = secant[i - 1] * secant[i] <= 0
                       ? 0.0
                       : (secant[i - 1] + secant[i]) / 2;

    // Keep each tangent within three times its secants (the monotone box).
    for (size_t i = 0; i + 1 < n; ++i) {
        if (secant[i] == 0) {
            slope[i] = slope[i + 1] = 0;
            continue;
        }
        double a = slope[i] / secant[i], b = slope[i + 1] / secant[i];
        double h = std::hypot(a, b);
        if (h > 3) {
            slope[i] = 3 * a / h * secant[i];
            slope[i + 1] = 3 * b / h * secant[i];
        }
    }
    return slope;
}

}  // namespace

Curve::Curve(std::vector<double> x, std::vector<double> y, Shape shape)
    : x_(std::move(x)), y_(std::move(y)), shape_(shape)
{
    if (x_.size() < 2) {
        x_.clear();
        y_.clear();
        return;
    }
    if (shape_ == Shape::monotone_cubic)
        slope_ = monotone_slopes(x_, y_);
}

double Curve::operator()(double x) const
{
    if (x_.empty())
        return x;
    if (x <= x_.front())
        return y_.front();
    if (x >= x_.back())
        return y_.back();

    // The segment [x_[i], x_[i+1]] holding x.
    size_t i = std::upper_bound(x_.begin(), x_.end(), x) - x_.begin() - 1;
    double h = x_[i + 1] - x_[i], t = (x - x_[i]) / h;
    if (shape_ == Shape::linear)
        return y_[i] + t * (y_[i + 1] - y_[i]);

    // Cubic Hermite on the segment.
    double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * y_[i] + (t3 - 2 * t2 + t) * h * slope_[i]
           + (-2 * t3 + 3 * t2) * y_[i + 1] + (t3 - t2) * h * slope_[i + 1];
}

Curve Curve::inverse(int samples) const
{
    if (x_.empty())
        return {};

    // Sample y = f(x) densely, then swap the axes; the samples stay in
    // order because the curve is strictly increasing.
    std::vector<double> xs, ys;
    for (int i = 0; i < samples; ++i) {
        double x = double(i) / (samples - 1), y = (*this)(x);
        if (!ys.empty() && y <= ys.back())
            continue;
        xs.push_back(x);
        ys.push_back(y);
    }
    return Curve(std::move(ys), std::move(xs), Shape::linear);
}

}  // namespace ripline::color
