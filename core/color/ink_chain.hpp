// SPDX-License-Identifier: AGPL-3.0-or-later
// InkChain: output-profile channels to the print mode's inks, on bands.
#pragma once

#include "core/color/print_mode.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ripline::color {

// The chain in table form, as the band kernels read it: per profile
// channel, split + linearisation as 4097-point tables of ink fractions;
// per ink, its class and cap; then the total and the layers.
struct ChainTables {
    static constexpr int steps = 4096;
    enum Kind : uint8_t { none = 0, colour = 1, black = 2 };

    int sources = 0;                       // profile channels
    const float* dark[max_inks] = {};      // one per source
    const float* light[max_inks] = {};     // or null: no split
    int dark_ink[max_inks] = {}, light_ink[max_inks] = {};
    int inks = 0;
    uint8_t kind[max_inks] = {};           // how limits treat each ink
    bool printing[max_inks] = {};          // counts for under-colour
    float cap[max_inks] = {};
    float total = 4;
    struct Layer {
        int ink = -1;
        LayerSource source = LayerSource::none;
        float amount = 1, threshold = 0;
    } layers[2];
};

// The chain every contone pixel goes through after the output profile:
// light-ink split, per-ink linearisation, hue-preserving ink limits, then
// the white and varnish layers. Immutable once built; thread-safe.
//
// Ink limiting keeps hue: over a per-ink limit or the total, the
// chromatic inks (all but black and its light partner) are scaled by one
// common factor, so their ratios stay; black is cut only when black
// alone is over the total. White and varnish are not counted. Spot inks
// (filled from spot colours after the chain) count once they are added:
// limit_spot_inks() then scales them with the chromatic inks.
class InkChain {
public:
    explicit InkChain(const PrintMode& mode);
    InkChain(const InkChain&) = delete; // tables point into the chain
    InkChain& operator=(const InkChain&) = delete;

    int profile_channels() const { return int(profile_inks_.size()); }
    // True when every ink is its profile channel unchanged: no split,
    // curve, limit that can bite, or layer. apply() then copies.
    bool is_identity() const { return identity_; }
    int ink_count() const { return int(roles_.size()); }
    const std::vector<InkRole>& roles() const { return roles_; }

    // The reference chain for one pixel: PROFILE holds the output
    // profile's channels (0..1), INKS receives every ink of the mode
    // (0..1), layers included.
    void map_pixel(const float* profile, float* inks) const;

    // Only the split, linearisation and limits; layer and spot inks are
    // set to 0. This is what a colour lookup table stores.
    void map_inks(const float* profile, float* inks) const;

    // One band, planar: IN holds profile_channels() planes, OUT holds
    // ink_count() planes; strides in elements. Layers from spots are
    // left at 0 for add_spot(); call shape_layers() afterwards. 16-bit
    // planes interpolate the curve tables, so inks keep the precision of
    // the split and the linearisation.
    void apply(const uint8_t* const* in, ptrdiff_t in_stride,
               uint8_t* const* out, ptrdiff_t out_stride, int width,
               int rows) const;
    void apply(const uint16_t* const* in, ptrdiff_t in_stride,
               uint16_t* const* out, ptrdiff_t out_stride, int width,
               int rows) const;

    // 16-bit profile channels (from a lookup table) to inks, planar.
    void apply_pixels(const uint16_t* const* in, uint8_t* const* out,
                      size_t count) const;
    void apply_pixels(const uint16_t* const* in, uint16_t* const* out,
                      size_t count) const;

    const ChainTables& tables() const { return tables_; }

    // Hue-preserving limits on a pixel of ink fractions, in place.
    void limit(float* inks) const;

    // True when INK is a spot ink, which the limits count.
    bool limits_ink(int ink) const;
    // The limits again, spot inks counted, on every dot of a band of ink
    // planes where a spot ink prints (call after adding spot inks). T is
    // uint8_t or uint16_t, the contone depth.
    template <typename T>
    void limit_spot_inks(T* const* out, ptrdiff_t out_stride, int width,
                         int rows) const;

    // Fill the flood and under-colour layers of a pixel from its inks.
    void fill_layers(float* inks) const;

    // Rows of context above and below a band that choke and spread need
    // to give the same layer as a whole-sheet render.
    int halo_rows() const;

    // Choke or spread the white and varnish planes of a band in place
    // (a square of the rule's size in dots). Rows outside the band count
    // as copies of its edge rows; render halo_rows() extra rows on each
    // side and drop them where bands must join without a seam. T is
    // uint8_t or uint16_t.
    template <typename T>
    void shape_layers(T* const* out, ptrdiff_t out_stride, int width,
                      int rows) const;

private:
    struct Source {     // how one profile channel feeds the inks
        int ink = -1;   // its ink, or the dark ink of a split
        int light = -1; // the light ink of a split, or -1
        Curve dark, light_curve;
    };

    void build_tables();
    void limit_inks(float* inks, bool count_spots) const;
    bool find_identity() const;

    std::vector<int> profile_inks_;
    std::vector<InkRole> roles_;
    std::vector<Source> sources_;
    std::vector<Curve> linearization_;
    std::vector<double> limits_;
    std::vector<bool> black_;  // K and its light partner
    double total_limit_;
    LayerRule white_, varnish_;

    std::vector<std::vector<float>> dark_table_, light_table_;
    ChainTables tables_;
    bool identity_ = false;
};

// The band kernels: the scalar reference and Highway's best target give
// identical results. IN holds tables.sources planes, OUT tables.inks.
namespace chain_kernels {
void run_scalar(const ChainTables& t, const uint8_t* const* in,
                uint8_t* const* out, size_t count);
void run_scalar(const ChainTables& t, const uint16_t* const* in,
                uint8_t* const* out, size_t count);
void run_scalar(const ChainTables& t, const uint16_t* const* in,
                uint16_t* const* out, size_t count);
void run_simd(const ChainTables& t, const uint8_t* const* in,
              uint8_t* const* out, size_t count);
void run_simd(const ChainTables& t, const uint16_t* const* in,
              uint8_t* const* out, size_t count);
void run_simd(const ChainTables& t, const uint16_t* const* in,
              uint16_t* const* out, size_t count);
}  // namespace chain_kernels

}  // namespace ripline::color
