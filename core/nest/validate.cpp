// SPDX-License-Identifier: AGPL-3.0-or-later
// Independent checks of a nest: overlaps, gaps, media bounds, counts.
#include "core/nest/validate.hpp"

#include "core/nest/nester.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace ripline::nest {

namespace {

struct Placed {
    Ring printed;
    std::vector<Ring> holes;  // printed holes, CCW; part-in-part only
    // Their convex pieces, split once for all the pairs they are in.
    std::vector<Ring> pieces;
    std::vector<std::vector<Ring>> hole_pieces;
    Box box;
    double area;
    const Placement* p;
};

// A part's holes as printed: the cut holes shrunk by the bleed, CCW.
std::vector<Ring> printed_holes(const Part& part, const Pose& pose,
                                double bleed)
{
    std::vector<Ring> out;
    for (const Ring& hole : normalize(part.outline).holes) {
        Ring placed = translate(rotate(hole, pose.rotation_deg),
                                pose.translation);
        for (Ring& ring : shrink_hole(placed, bleed)) {
            std::reverse(ring.begin(), ring.end());
            out.push_back(std::move(ring));
        }
    }
    return out;
}

std::string name_of(const Placement& p)
{
    return "'" + p.part_id + "' copy " + std::to_string(p.copy);
}

bool rotation_allowed(const Part& part, const NestOptions& options,
                      const Placement& p)
{
    if (static_cast<size_t>(p.copy) < part.pins.size())
        return true;
    for (double r : allowed_rotations(part, options)) {
        double d = std::fmod(std::abs(r - p.pose.rotation_deg), 360.0);
        if (std::min(d, 360.0 - d) < 1e-6)
            return true;
    }
    return false;
}

void check_bounds(const Problem& problem, const NestOptions& options,
                  const Placed& a, double tol,
                  std::vector<std::string>& out)
{
    const Media& m = problem.media;
    double lo = options.margin - tol, hi_x = m.width - options.margin + tol;
    bool outside = a.box.x_min < lo || a.box.y_min < lo || a.box.x_max > hi_x;
    bool limited = m.kind == Media::Kind::sheet || m.length > 0;
    if (limited && a.box.y_max > m.length - options.margin + tol)
        outside = true;
    if (outside)
        out.push_back("part " + name_of(*a.p) +
                      " leaves the media or its margin");
}

// Area common to two printed areas, their holes taken out: the outer
// rings' overlap less what falls in a hole of either, plus what falls in
// holes of both (counted twice otherwise).
double shared_area(const Placed& a, const Placed& b)
{
    double shared = overlap_area(a.pieces, b.pieces);
    if (shared <= 0)
        return 0;
    for (const std::vector<Ring>& h : a.hole_pieces)
        shared -= overlap_area(h, b.pieces);
    for (const std::vector<Ring>& h : b.hole_pieces)
        shared -= overlap_area(a.pieces, h);
    for (const std::vector<Ring>& ha : a.hole_pieces)
        for (const std::vector<Ring>& hb : b.hole_pieces)
            shared += overlap_area(ha, hb);
    return std::max(0.0, shared);
}

// The smallest gap between the boundaries, holes' included.
double gap_between(const Placed& a, const Placed& b)
{
    double gap = boundary_distance(a.printed, b.printed);
    for (const Ring& h : a.holes)
        gap = std::min(gap, boundary_distance(h, b.printed));
    for (const Ring& h : b.holes)
        gap = std::min(gap, boundary_distance(a.printed, h));
    return gap;
}

void check_pair(const Placed& a, const Placed& b, double spacing,
                double tol, std::vector<std::string>& out)
{
    if (a.p->sheet != b.p->sheet)
        return;
    if (a.box.x_max + spacing <= b.box.x_min + tol ||
        b.box.x_max + spacing <= a.box.x_min + tol ||
        a.box.y_max + spacing <= b.box.y_min + tol ||
        b.box.y_max + spacing <= a.box.y_min + tol)
        return;
    double overlap = shared_area(a, b);
    if (overlap > 1e-6 * std::min(a.area, b.area)) {
        out.push_back("parts " + name_of(*a.p) + " and " + name_of(*b.p) +
                      " overlap by " + std::to_string(overlap));
        return;
    }
    if (spacing > 0) {
        double gap = gap_between(a, b);
        if (gap < spacing - tol)
            out.push_back("parts " + name_of(*a.p) + " and " +
                          name_of(*b.p) + " are " + std::to_string(gap) +
                          " apart, less than the spacing");
    }
}

// Per part, the later parts (by placement) whose boxes, grown by the
// spacing, may meet its own on the same sheet, in order: a sweep along
// the media's longer side, so that 200000 labels on a roll are not
// checked pair by pair (20 billion pairs), only against the parts beside
// and just past them.
std::vector<std::vector<size_t>> near_pairs(const Problem& problem,
                                            const std::vector<Placed>& placed,
                                            double reach)
{
    const Media& m = problem.media;
    bool along_y = m.kind == Media::Kind::roll || m.length >= m.width;
    auto lo = [&](const Placed& a) {
        return along_y ? a.box.y_min : a.box.x_min;
    };
    auto hi = [&](const Placed& a) {
        return along_y ? a.box.y_max : a.box.x_max;
    };
    std::vector<size_t> order(placed.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::pair(placed[a].p->sheet, lo(placed[a])) <
               std::pair(placed[b].p->sheet, lo(placed[b]));
    });
    std::vector<std::vector<size_t>> out(placed.size());
    for (size_t k = 0; k < order.size(); ++k) {
        const Placed& a = placed[order[k]];
        for (size_t l = k + 1; l < order.size(); ++l) {
            const Placed& b = placed[order[l]];
            if (b.p->sheet != a.p->sheet || lo(b) >= hi(a) + reach)
                break;
            size_t i = std::min(order[k], order[l]);
            out[i].push_back(std::max(order[k], order[l]));
        }
    }
    for (std::vector<size_t>& later : out)
        std::sort(later.begin(), later.end());
    return out;
}

void check_counts(const Problem& problem, const NestResult& result,
                  std::vector<std::string>& out)
{
    std::set<std::pair<int, int>> seen;
    auto note = [&](int part, int copy) {
        if (!seen.insert({part, copy}).second)
            out.push_back("part " + std::to_string(part) + " copy " +
                          std::to_string(copy) + " appears twice");
    };
    for (const Placement& p : result.placements)
        note(p.part_index, p.copy);
    for (const Unplaced& u : result.unplaced)
        note(u.part_index, u.copy);
    size_t copies = 0;
    for (const Part& part : problem.parts)
        copies += static_cast<size_t>(std::max(part.quantity, 0));
    if (seen.size() != copies)
        out.push_back(std::to_string(copies - std::min(copies, seen.size())) +
                      " copies are neither placed nor listed as unplaced");
}

}  // namespace

std::vector<std::string> check_nest(const Problem& problem,
                                    const NestOptions& options,
                                    const NestResult& result)
{
    std::vector<std::string> out;
    std::vector<Placed> placed;
    double scale = std::max(problem.media.width, result.used_length);
    double tol = 1e-7 * scale;
    for (const Placement& p : result.placements) {
        const Part& part = problem.parts.at(size_t(p.part_index));
        Ring cut = placed_outline(part, p.pose);
        Ring printed = offset_mitred(cut, options.bleed);
        std::vector<Ring> holes;
        if (options.part_in_part)
            holes = printed_holes(part, p.pose, options.bleed);
        double net = std::abs(signed_area(printed));
        for (const Ring& h : holes)
            net -= std::abs(signed_area(h));
        std::vector<Ring> pieces = convex_pieces(printed);
        std::vector<std::vector<Ring>> hole_pieces;
        for (const Ring& h : holes)
            hole_pieces.push_back(convex_pieces(h));
        Box box = bounds(printed);
        placed.push_back({std::move(printed), std::move(holes),
                          std::move(pieces), std::move(hole_pieces), box, net,
                          &p});
        if (!rotation_allowed(part, options, p))
            out.push_back("part " + name_of(p) + " has rotation " +
                          std::to_string(p.pose.rotation_deg) +
                          ", which it does not allow");
    }
    std::vector<std::vector<size_t>> near =
        near_pairs(problem, placed, options.spacing + tol);
    for (size_t i = 0; i < placed.size(); ++i) {
        check_bounds(problem, options, placed[i], tol, out);
        for (size_t j : near[i])
            check_pair(placed[i], placed[j], options.spacing, tol, out);
    }
    check_counts(problem, result, out);
    return out;
}

}  // namespace ripline::nest
