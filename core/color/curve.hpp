// SPDX-License-Identifier: AGPL-3.0-or-later
// Curve: a 1-D function on 0..1 given by points, for ink transfer curves.
#pragma once

#include <vector>

namespace ripline::color {

// A curve through points (x, y), x strictly increasing from 0 to 1.
// Between points it is either straight (what a user typed as a split
// curve) or a monotone cubic (Fritsch-Carlson), which never overshoots
// and so keeps measured data monotonic where it is.
class Curve {
public:
    enum class Shape { linear, monotone_cubic };

    Curve() = default; // the identity
    Curve(std::vector<double> x, std::vector<double> y, Shape shape);

    double operator()(double x) const;
    bool is_identity() const { return x_.empty(); }

    // The curve that undoes this one, for a strictly increasing curve
    // with y(0) = 0 and y(1) = 1, sampled at SAMPLES points.
    Curve inverse(int samples = 1025) const;

private:
    std::vector<double> x_, y_, slope_;
    Shape shape_ = Shape::linear;
};

}  // namespace ripline::color
