// SPDX-License-Identifier: AGPL-3.0-or-later
// Radially averaged power spectra of binary dot patterns, for the tests.
#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <vector>

namespace ripline::screen::test {

// The radially averaged power spectrum of a binary pattern: power[r] is
// the mean |DFT|^2 over frequencies whose radius rounds to r (in cycles
// per tile), the pattern's mean removed.
inline std::vector<double> radial_power(const std::vector<uint8_t>& pattern,
                                        int size)
{
    double mean = 0;
    for (uint8_t v : pattern)
        mean += v;
    mean /= pattern.size();

    // Separable DFT: rows first, then columns.
    using cd = std::complex<double>;
    std::vector<cd> rows(pattern.size()), full(pattern.size());
    const double turn = -2 * M_PI / size;
    for (int y = 0; y < size; ++y)
        for (int u = 0; u < size; ++u) {
            cd sum = 0;
            for (int x = 0; x < size; ++x)
                sum += (pattern[y * size + x] - mean) *
                       std::polar(1.0, turn * u * x);
            rows[y * size + u] = sum;
        }
    for (int u = 0; u < size; ++u)
        for (int v = 0; v < size; ++v) {
            cd sum = 0;
            for (int y = 0; y < size; ++y)
                sum += rows[y * size + u] * std::polar(1.0, turn * v * y);
            full[v * size + u] = sum;
        }

    const int max_radius = int(size * M_SQRT1_2);
    std::vector<double> power(max_radius + 1, 0), count(max_radius + 1, 0);
    for (int v = 0; v < size; ++v)
        for (int u = 0; u < size; ++u) {
            int fu = u <= size / 2 ? u : u - size;
            int fv = v <= size / 2 ? v : v - size;
            int r = int(std::lround(std::hypot(fu, fv)));
            if (r > max_radius)
                continue;
            power[r] += std::norm(full[v * size + u]);
            count[r] += 1;
        }
    for (size_t r = 0; r < power.size(); ++r)
        power[r] = count[r] ? power[r] / count[r] : 0;
    return power;
}

inline double mean_of(const std::vector<double>& v, size_t from, size_t to)
{
    double sum = 0;
    for (size_t i = from; i < to; ++i)
        sum += v[i];
    return sum / double(to - from);
}

} // namespace ripline::screen::test

namespace ripline::screen::test {

// How unevenly a pattern's power is spread over directions: the largest
// over the mean of 16 direction bins (half-turn, as the DFT of a real
// pattern is symmetric) in the ring of radii [from, to). Isotropic blue
// noise stays near 1; regular textures and worms peak in a few bins.
inline double direction_peak(const std::vector<uint8_t>& pattern, int size,
                             double from, double to)
{
    double mean = 0;
    for (uint8_t v : pattern)
        mean += v;
    mean /= pattern.size();
    const int bins = 16;
    std::vector<double> power(bins, 0);
    const double turn = -2 * M_PI / size;
    for (int fv = 0; fv < int(to) + 1; ++fv)
        for (int fu = -int(to) - 1; fu <= int(to) + 1; ++fu) {
            double r = std::hypot(fu, fv);
            if (r < from || r >= to || (fv == 0 && fu < 0))
                continue;
            std::complex<double> sum = 0;
            for (int y = 0; y < size; ++y)
                for (int x = 0; x < size; ++x)
                    if (pattern[size_t(y) * size + x])
                        sum += std::polar(1.0 - mean, turn * (fu * x + fv * y));
            int bin = std::min(bins - 1, int(std::atan2(fv, fu) / M_PI * bins));
            power[bin] += std::norm(sum);
        }
    double total = 0, peak = 0;
    for (double p : power) {
        total += p;
        peak = std::max(peak, p);
    }
    return peak / (total / bins);
}

} // namespace ripline::screen::test
