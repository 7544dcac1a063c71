// SPDX-License-Identifier: AGPL-3.0-or-later
// BandColor: the colour stage on one band: process planes from the
// rasteriser plus its spot planes, to the print mode's ink planes.
#pragma once

#include "core/color/ink_chain.hpp"
#include "core/color/print_mode.hpp"
#include "core/color/spot_table.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ripline::color {

class Profile;

// One spot channel of a band, as the rasteriser keeps it.
struct SpotPlane {
    const uint8_t* plane = nullptr; // tint 0..255, row r at plane + r*stride
    ptrdiff_t stride = 0;
};

// Built once per render; run() is thread-safe, one band per call.
class BandColor {
public:
    // MODE must outlive this object. OUTPUT is the mode's output profile.
    BandColor(const PrintMode& mode, const Profile& output);
    ~BandColor();

    // Declare the render's spot colours, in the order run() receives
    // their planes: NAME from the document, ALTERNATE_LAB its alternate
    // colour at full tint in Lab D50 (if the caller has it). Call before
    // the first band.
    void add_spot(const std::string& name,
                  std::optional<std::array<double, 3>> alternate_lab);
    const std::vector<SpotPlan>& spot_plans() const { return plans_; }
    // What add_spot() would plan for NAME (no alternate colour), without
    // declaring a plane: the rasteriser asks before it keeps one.
    SpotPlan plan_for(const std::string& name) const;
    // True when the spot goes to the cutter (its plane can be skipped).
    bool is_cut(int spot) const;

    int halo_rows() const { return chain_->halo_rows(); }
    const InkChain& chain() const { return *chain_; }

    // One band. PROCESS holds the output profile's channels and is
    // changed in place: spots printed with process inks are overprinted
    // onto it. SPOTS holds one plane per add_spot() call. INKS receives
    // every ink of the mode. Spot inks count in the total ink limit: where
    // one prints, the limit is applied again with it (InkChain).
    void run(uint8_t* const* process, ptrdiff_t process_stride,
             const SpotPlane* spots, uint8_t* const* inks,
             ptrdiff_t ink_stride, int width, int rows) const;

    // The same band at 16 bits (contone_bits 16): PROCESS and SPOTS as
    // above, then the process planes widened (v * 257) into WIDE, one
    // plane per profile channel with INK_STRIDE samples a row, so the
    // chain, spot inks, limits and layers all run on 16-bit samples
    // into INKS.
    void run(uint8_t* const* process, ptrdiff_t process_stride,
             const SpotPlane* spots, uint16_t* const* wide,
             uint16_t* const* inks, ptrdiff_t ink_stride, int width,
             int rows) const;

private:
    void overprint_process_spots(uint8_t* const* process,
                                 ptrdiff_t process_stride,
                                 const SpotPlane* spots, int width,
                                 int rows) const;
    template <typename T>
    void add_spot_inks(const SpotPlane* spots, T* const* inks,
                       ptrdiff_t ink_stride, int width, int rows) const;
    template <typename T>
    void add_ink_spot(const SpotPlan& plan, const SpotPlane& spot,
                      T* const* inks, ptrdiff_t ink_stride, int width,
                      int rows) const;

    const PrintMode& mode_;
    std::unique_ptr<InkChain> chain_;
    std::unique_ptr<SpotMapper> mapper_;
    std::vector<SpotPlan> plans_;
};

}  // namespace ripline::color
