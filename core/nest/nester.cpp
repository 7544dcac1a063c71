// SPDX-License-Identifier: AGPL-3.0-or-later
// The nester's entry point: a problem and options in, placements out.
//
// Spacing, margin and bleed become geometry before either engine runs:
// the printed area of a part is its cut contour grown by the bleed; its
// nest contour is that grown again by half the spacing; the media shrinks
// by the margin and grows back by half the spacing. Two nest contours that
// merely touch then keep their printed areas a full spacing apart, and a
// printed area a full margin from the edge. Grouped parts are nested
// first into a block of their own, which then moves as one rigid item.
#include "core/nest/nester.hpp"

#include "core/common/error.hpp"
#include "core/common/log.hpp"
#include "core/nest/rect_pack.hpp"
#include "core/nest/shape_pack.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace ripline::nest {

namespace {

Error bad(const std::string& message)
{
    return Error(RL_ERROR_INVALID_ARGUMENT, Stage::nest, message);
}

std::string text(Point p)
{
    std::ostringstream out;
    out << "(" << p.x << ", " << p.y << ")";
    return out.str();
}

// One copy of a part, or a group block, as the engines see it.
struct Unit {
    struct Member {
        int part, copy, rotation;
        Pose pose;  // relative to the block
    };
    std::vector<Member> members;  // one for a single copy
    bool block = false;
};

// Per part: the rotations and, per rotation, the contour the engines nest.
struct Prepared {
    std::vector<double> rotations;
    std::vector<Ring> nest_rings;  // per rotation
    // Per rotation, the holes others may fill (part-in-part only).
    std::vector<std::vector<Ring>> nest_holes;
    double area = 0;
};

struct Frame {
    double width = 0, length = 0;  // the engines' media
    double offset = 0;             // engine origin in media coordinates
    double half_gap = 0;           // spacing / 2
    bool rectangles = false;
};

bool all_rectangles(const Problem& problem, const NestOptions& options)
{
    for (const Part& part : problem.parts) {
        if (!is_axis_rectangle(normalize(part.outline).outer) ||
            !part.outline.holes.empty())
            return false;
        for (double r : allowed_rotations(part, options))
            if (std::fmod(std::abs(r), 90.0) != 0)
                return false;
    }
    return true;
}

Ring box_ring(const Box& b)
{
    return {{b.x_min, b.y_min}, {b.x_max, b.y_min}, {b.x_max, b.y_max},
            {b.x_min, b.y_max}};
}

// The contour a part is nested by, for one rotation.
Ring nest_ring(const Ring& printed, double degrees, const Frame& frame,
               const NestOptions& options)
{
    Ring turned = rotate(printed, degrees);
    if (!frame.rectangles)
        return nest_contour(turned, frame.half_gap, options);
    Box b = bounds(turned);
    b.x_min -= frame.half_gap;
    b.y_min -= frame.half_gap;
    b.x_max += frame.half_gap;
    b.y_max += frame.half_gap;
    return box_ring(b);
}

// The holes of a cut contour as other parts' nest contours may fill
// them: shrunk by the bleed (the printed area), then by half the spacing.
// Holes smaller than `least_area` could take no part and are dropped.
std::vector<Ring> nest_holes(const Shape& shape, const Frame& frame,
                             const NestOptions& options, double least_area)
{
    std::vector<Ring> out;
    for (const Ring& hole : shape.holes)
        for (const Ring& printed : shrink_hole(hole, options.bleed))
            for (Ring& ring : shrink_hole(printed, frame.half_gap))
                if (std::abs(signed_area(ring)) >= least_area)
                    out.push_back(std::move(ring));
    return out;
}

// An outline the nester can trust: three corners or more, an area, and
// no edge that crosses another (a bow tie has no one inside).
void check_outline(const Part& part, const Shape& shape)
{
    std::string what = "part '" + part.id + "': ";
    if (shape.outer.size() < 3)
        throw bad(what + "the outline needs at least three vertices");
    if (!(std::abs(signed_area(shape.outer)) > 0))
        throw bad(what + "the outline encloses no area");
    auto simple = [&](const Ring& ring, const std::string& name) {
        size_t a = 0, b = 0;
        auto edge = [&](size_t k) {
            return text(ring[k]) + "-" + text(ring[(k + 1) % ring.size()]);
        };
        if (edges_cross(ring, a, b))
            throw bad(what + name + " crosses itself: its edge " + edge(a) +
                      " crosses " + edge(b));
    };
    simple(shape.outer, "the outline");
    for (size_t h = 0; h < shape.holes.size(); ++h)
        simple(shape.holes[h], "hole " + std::to_string(h + 1));
}

double least_part_area(const Problem& problem)
{
    double least = INFINITY;
    for (const Part& part : problem.parts)
        least = std::min(least, std::abs(signed_area(part.outline.outer)));
    return least;
}

std::vector<Prepared> prepare(const Problem& problem, const Frame& frame,
                              const NestOptions& options)
{
    std::vector<Prepared> out;
    bool holes = options.part_in_part && !frame.rectangles;
    double least_area = least_part_area(problem);
    for (const Part& part : problem.parts) {
        Shape shape = normalize(part.outline);
        check_outline(part, shape);
        Prepared p;
        p.area = area(shape);
        p.rotations = allowed_rotations(part, options);
        Ring printed = offset_mitred(shape.outer, options.bleed);
        for (double r : p.rotations)
            p.nest_rings.push_back(nest_ring(printed, r, frame, options));
        std::vector<Ring> open =
            holes ? nest_holes(shape, frame, options, least_area)
                  : std::vector<Ring>{};
        for (double r : p.rotations) {
            p.nest_holes.emplace_back();
            for (const Ring& hole : open)
                p.nest_holes.back().push_back(rotate(hole, r));
        }
        out.push_back(std::move(p));
    }
    return out;
}

Frame make_frame(const Problem& problem, const NestOptions& options)
{
    const Media& m = problem.media;
    if (!(m.width > 0))
        throw bad("media width must be positive");
    if (m.kind == Media::Kind::sheet && !(m.length > 0))
        throw bad("sheet media needs a positive length");
    if (options.spacing < 0 || options.margin < 0 || options.bleed < 0)
        throw bad("spacing, margin and bleed cannot be negative");
    Frame f;
    f.half_gap = options.spacing / 2;
    f.offset = options.margin - f.half_gap;
    f.width = m.width - 2 * options.margin + options.spacing;
    f.length = m.kind == Media::Kind::sheet
                   ? m.length - 2 * options.margin + options.spacing
                   : 0;
    if (!(f.width > 0))
        throw bad("the margins leave no room across the media");
    f.rectangles = options.mode == Mode::rectangular ||
                   (options.mode == Mode::automatic &&
                    all_rectangles(problem, options));
    return f;
}

// Copies, grouped into blocks by Part::group; pinned copies stay apart.
std::vector<Unit> make_units(const Problem& problem)
{
    std::vector<Unit> units;
    std::map<std::string, size_t> group_at;
    for (size_t i = 0; i < problem.parts.size(); ++i) {
        const Part& part = problem.parts[i];
        int pinned = static_cast<int>(part.pins.size());
        for (int c = pinned; c < part.quantity; ++c) {
            Unit::Member m{int(i), c, 0, {}};
            if (part.group.empty()) {
                units.push_back({{m}, false});
                continue;
            }
            auto [at, fresh] = group_at.emplace(part.group, units.size());
            if (fresh)
                units.push_back({{}, true});
            units[at->second].members.push_back(m);
        }
    }
    return units;
}

// The room inside the media's margins as a person states it: across and
// along, or only across on a roll of any length.
std::string room_text(const Problem& problem, const NestOptions& options)
{
    const Media& m = problem.media;
    std::ostringstream out;
    out << m.width - 2 * options.margin;
    if (m.length > 0)
        out << " x " << m.length - 2 * options.margin;
    else
        out << " across";
    return out.str();
}

// Why no rotation of a part fits the media, or "" when one does. The
// engines are never given such a copy: on sheets they would search to
// the limit for a place there is none of.
std::string too_large(const Problem& problem, const Prepared& prep,
                      const Frame& frame, const NestOptions& options)
{
    const Media& m = problem.media;
    double length = m.length > 0 ? m.length - 2 * options.margin +
                                       options.spacing
                                 : 0;
    double tolerance = 1e-9 * std::max(frame.width, length);
    double least_over = INFINITY;
    size_t closest = 0;
    for (size_t r = 0; r < prep.nest_rings.size(); ++r) {
        Box b = bounds(prep.nest_rings[r]);
        double over = std::max(b.width() - frame.width,
                               length > 0 ? b.height() - length : -INFINITY);
        if (over <= tolerance)
            return "";
        if (over < least_over) {
            least_over = over;
            closest = r;
        }
    }
    Box b = bounds(prep.nest_rings[closest]);
    std::ostringstream out;
    out << "too large for the media: its printed area is "
        << b.width() - options.spacing << " x " << b.height() - options.spacing
        << " at " << prep.rotations[closest] << " degrees";
    if (prep.rotations.size() > 1)
        out << " (the closest of " << prep.rotations.size() << " rotations)";
    out << ", and the media has " << room_text(problem, options)
        << " inside its margins";
    return out.str();
}

// What the engines nest: a unit's options as rings in the unit's frame.
struct EngineItem {
    std::vector<std::vector<Ring>> options;
    // Per option, per ring: the holes other items may fill.
    std::vector<std::vector<std::vector<Ring>>> holes;
    double area = 0;
};

struct Obstacle {
    int bin = 0;
    std::vector<Ring> rings;  // in the engine frame
};

struct EnginePlaced {
    int item = 0, option = 0, bin = 0;
    Point t;  // the option's rings move by t
};

struct EngineResult {
    std::vector<EnginePlaced> placed;
    std::vector<int> unplaced;
    long evaluations = 0;
    std::string engine;
};

struct EngineCall {
    double width = 0, length = 0;  // length 0 = strip
    int max_bins = 0;
    bool rectangles = false;
    double target_length = 0;
    bool overlap_search = true;
    int threads = 0;
};

EngineResult run_rects(const std::vector<EngineItem>& items,
                       const std::vector<Obstacle>& fixed,
                       const EngineCall& call, Budget& budget,
                       std::uint64_t seed)
{
    RectProblem rp;
    rp.width = call.width;
    rp.length = call.length;
    rp.strip = call.length <= 0;
    rp.max_bins = call.max_bins;
    rp.target_length = call.target_length;
    for (const EngineItem& item : items) {
        RectItem ri;
        for (size_t o = 0; o < item.options.size(); ++o) {
            Box b = bounds(item.options[o]);
            ri.options.push_back({b.width(), b.height(), int(o)});
        }
        rp.items.push_back(std::move(ri));
    }
    for (const Obstacle& f : fixed) {
        Box b = bounds(f.rings);
        rp.fixed.push_back({f.bin, b.x_min, b.y_min, b.width(), b.height()});
    }
    RectSolution rs = pack_rects(rp, budget, seed);

    // The engine placed box corners; the rings move by corner - box min.
    EngineResult out;
    for (const RectPlaced& p : rs.placed) {
        Box b = bounds(items[size_t(p.item)].options[size_t(p.option)]);
        out.placed.push_back(
            {p.item, p.option, p.bin, {p.x - b.x_min, p.y - b.y_min}});
    }
    out.unplaced = rs.unplaced;
    out.evaluations = rs.evaluations;
    out.engine = rs.engine;
    return out;
}

EngineResult run_shapes(const std::vector<EngineItem>& items,
                        const std::vector<Obstacle>& fixed,
                        const EngineCall& call, Budget& budget,
                        std::uint64_t seed)
{
    ShapeProblem sp;
    sp.width = call.width;
    sp.length = call.length;
    sp.strip = call.length <= 0;
    sp.max_bins = call.max_bins;
    sp.target_length = call.target_length;
    sp.overlap_search = call.overlap_search;
    sp.threads = call.threads;
    for (const EngineItem& item : items) {
        ShapeItem si;
        si.area = item.area;
        for (size_t o = 0; o < item.options.size(); ++o)
            si.options.push_back(
                {item.options[o], int(o),
                 o < item.holes.size() ? item.holes[o]
                                       : std::vector<std::vector<Ring>>{}});
        sp.items.push_back(std::move(si));
    }
    for (const Obstacle& f : fixed)
        sp.fixed.push_back({f.bin, {f.rings, 0, {}}, {0, 0}});
    ShapeSolution ss = pack_shapes(sp, budget, seed);

    EngineResult out;
    for (const ShapePlaced& p : ss.placed)
        out.placed.push_back({p.item, p.option, p.bin, p.translation});
    out.unplaced = ss.unplaced;
    out.evaluations = ss.evaluations;
    out.engine = "shape";
    return out;
}

EngineResult run_engine(const std::vector<EngineItem>& items,
                        const std::vector<Obstacle>& fixed,
                        const EngineCall& call, Budget& budget,
                        std::uint64_t seed)
{
    return call.rectangles ? run_rects(items, fixed, call, budget, seed)
                           : run_shapes(items, fixed, call, budget, seed);
}

EngineItem single_item(const Unit::Member& m,
                       const std::vector<Prepared>& prep)
{
    const Prepared& p = prep[size_t(m.part)];
    EngineItem item;
    item.area = p.area;
    for (size_t r = 0; r < p.nest_rings.size(); ++r) {
        item.options.push_back({p.nest_rings[r]});
        item.holes.push_back({p.nest_holes[r]});
    }
    return item;
}

// Nest a group's copies on their own, in a strip about as wide as makes
// the block's box smallest; the block then keeps that layout.
void build_block(const Problem& problem, Unit& unit, EngineItem& item,
                 const std::vector<Prepared>& prep, const Frame& frame,
                 const NestOptions& options)
{
    std::vector<EngineItem> members;
    double area = 0;
    for (const Unit::Member& m : unit.members) {
        members.push_back(single_item(m, prep));
        area += members.back().area;
    }
    double best_box = INFINITY, best_length = INFINITY;
    for (double share : {1.0, 0.7, 0.5, 0.35, 0.25}) {
        EngineCall call{frame.width * share, 0, 0, frame.rectangles, 0};
        Budget budget(0, frame.rectangles ? 200 : 8);
        EngineResult r = run_engine(members, {}, call, budget, options.seed);
        if (!r.unplaced.empty())
            continue;
        std::vector<Ring> rings;
        std::vector<std::vector<Ring>> holes;
        for (const EnginePlaced& p : r.placed) {
            const EngineItem& m = members[size_t(p.item)];
            rings.push_back(translate(m.options[size_t(p.option)][0], p.t));
            holes.emplace_back();
            for (const Ring& h : m.holes[size_t(p.option)][0])
                holes.back().push_back(translate(h, p.t));
        }
        // Smallest box; within 1 % of it, the shorter along the feed.
        Box b = bounds(rings);
        double box = b.width() * b.height();
        bool too_long = frame.length > 0 && b.height() > frame.length;
        bool smaller = box < best_box * 0.99 ||
                       (box <= best_box * 1.01 && b.height() < best_length);
        if (too_long || !smaller)
            continue;
        best_box = std::min(best_box, box);
        best_length = b.height();
        item.options = {rings};
        item.holes = {holes};
        for (const EnginePlaced& p : r.placed) {
            Unit::Member& m = unit.members[size_t(p.item)];
            m.rotation = p.option;
            m.pose = {prep[size_t(m.part)].rotations[size_t(p.option)], p.t};
        }
    }
    item.area = area;
    if (item.options.empty())
        throw bad("group '" +
                  problem.parts[size_t(unit.members.front().part)].group +
                  "' does not fit on the media: its parts nested together "
                  "need more than the " + room_text(problem, options) +
                  " inside the margins");
}

std::vector<Obstacle> pinned_obstacles(const Problem& problem,
                                       const Frame& frame,
                                       const NestOptions& options)
{
    std::vector<Obstacle> out;
    for (const Part& part : problem.parts) {
        Ring printed =
            offset_mitred(normalize(part.outline).outer, options.bleed);
        for (const Pin& pin : part.pins) {
            if (problem.media.max_sheets > 0 &&
                pin.sheet >= problem.media.max_sheets)
                throw bad("part '" + part.id + "' is pinned to sheet " +
                          std::to_string(pin.sheet) + " of only " +
                          std::to_string(problem.media.max_sheets));
            Ring ring = nest_ring(printed, pin.pose.rotation_deg, frame,
                                  options);
            Point to = pin.pose.translation - Point{frame.offset, frame.offset};
            out.push_back({pin.sheet, {translate(ring, to)}});
        }
    }
    return out;
}

// Engine answers back to media coordinates, with the pins added.
void collect(const Problem& problem, const std::vector<Unit>& units,
             const std::vector<Prepared>& prep, const EngineResult& r,
             const Frame& frame, NestResult& out)
{
    Point shift{frame.offset, frame.offset};
    for (size_t i = 0; i < problem.parts.size(); ++i) {
        const Part& part = problem.parts[i];
        for (size_t c = 0; c < part.pins.size(); ++c)
            out.placements.push_back({part.id, int(i), int(c),
                                      part.pins[c].sheet, part.pins[c].pose});
    }
    for (const EnginePlaced& p : r.placed) {
        const Unit& unit = units[size_t(p.item)];
        for (const Unit::Member& m : unit.members) {
            const Part& part = problem.parts[size_t(m.part)];
            Pose pose;
            if (unit.block) {
                pose = {m.pose.rotation_deg, m.pose.translation + p.t + shift};
            } else {
                double deg = prep[size_t(m.part)].rotations[size_t(p.option)];
                pose = {deg, p.t + shift};
            }
            out.placements.push_back({part.id, m.part, m.copy, p.bin, pose});
        }
    }
    std::string reason = "no room found on the media";
    if (problem.media.kind == Media::Kind::sheet &&
        problem.media.max_sheets > 0)
        reason = "no room left on the " +
                 std::to_string(problem.media.max_sheets) +
                 " sheets allowed";
    for (int u : r.unplaced)
        for (const Unit::Member& m : units[size_t(u)].members)
            out.unplaced.push_back({m.part, m.copy, reason});
}

// The far edge of the printed areas along the feed, per sheet.
double far_edge(const Problem& problem, const Placement& p,
                const NestOptions& options)
{
    const Part& part = problem.parts[size_t(p.part_index)];
    Ring printed = offset_mitred(normalize(part.outline).outer, options.bleed);
    return bounds(translate(rotate(printed, p.pose.rotation_deg),
                            p.pose.translation))
        .y_max;
}

// Roll: drop copies past the longest nest; then length and efficiency.
void measure(const Problem& problem, const NestOptions& options,
             NestResult& out)
{
    const Media& m = problem.media;
    bool roll = m.kind == Media::Kind::roll;
    if (roll && m.length > 0) {
        std::ostringstream limit;
        limit << "past the roll's longest nest of " << m.length;
        std::string past_end = limit.str();
        std::vector<Placement> kept;
        for (const Placement& p : out.placements) {
            if (far_edge(problem, p, options) + options.margin <=
                m.length * (1 + 1e-12))
                kept.push_back(p);
            else
                out.unplaced.push_back({p.part_index, p.copy, past_end});
        }
        out.placements = std::move(kept);
    }
    double far = 0, part_area = 0;
    int last_sheet = -1;
    for (const Placement& p : out.placements)
        last_sheet = std::max(last_sheet, p.sheet);
    for (const Placement& p : out.placements) {
        if (p.sheet == last_sheet)
            far = std::max(far, far_edge(problem, p, options));
        part_area += area(normalize(problem.parts[size_t(p.part_index)]
                                        .outline));
    }
    out.sheet_count = out.placements.empty() ? 0 : last_sheet + 1;
    out.used_length = out.placements.empty() ? 0 : far + options.margin;
    out.part_area = part_area;
    out.media_area = roll ? m.width * out.used_length
                          : m.width * m.length * out.sheet_count;
    out.efficiency = out.media_area > 0 ? part_area / out.media_area : 0;
}

}  // namespace

Ring nest_contour(const Ring& turned, double half_gap,
                  const NestOptions& options)
{
    Ring grown = offset_outer(turned, half_gap);
    if (static_cast<int>(grown.size()) > options.simplify_above_vertices) {
        Box b = bounds(grown);
        double size = std::max(b.width(), b.height());
        grown = simplify_outward(grown, options.simplify_tolerance * size);
    }
    return fill_notches(grown, options.notch_fill * signed_area(grown));
}

std::vector<double> allowed_rotations(const Part& part,
                                      const NestOptions& options)
{
    if (!part.rotations_deg.empty())
        return part.rotations_deg;
    std::vector<double> out;
    int steps = std::max(1, options.free_rotation_steps);
    for (int k = 0; k < steps; ++k)
        out.push_back(360.0 * k / steps);
    return out;
}

Ring placed_outline(const Part& part, const Pose& pose)
{
    return translate(rotate(normalize(part.outline).outer, pose.rotation_deg),
                     pose.translation);
}

}  // namespace ripline::nest

namespace ripline::nest {

NestResult nest(const Problem& problem, const NestOptions& options)
{
    Budget budget(options.time_limit_s, options.max_evaluations);
    Frame frame = make_frame(problem, options);
    std::vector<Prepared> prep = prepare(problem, frame, options);

    // Units: single copies and group blocks, each an engine item. A copy
    // that fits the media in no rotation stays out of the engines; each
    // part is measured once, however many copies it has.
    std::vector<std::string> too_large_why;
    for (const Prepared& p : prep)
        too_large_why.push_back(too_large(problem, p, frame, options));
    std::vector<Unit> units;
    std::vector<Unplaced> oversized;
    for (Unit& unit : make_units(problem)) {
        const Unit::Member& first = unit.members.front();
        const std::string& why = too_large_why[size_t(first.part)];
        if (unit.block || why.empty())
            units.push_back(std::move(unit));
        else
            oversized.push_back({first.part, first.copy, why, false});
    }
    std::vector<EngineItem> items;
    for (Unit& unit : units) {
        EngineItem item;
        if (unit.block)
            build_block(problem, unit, item, prep, frame, options);
        else
            item = single_item(unit.members.front(), prep);
        items.push_back(std::move(item));
    }

    // The engines stop at the target length, given in media terms.
    EngineCall call{frame.width, frame.length, problem.media.max_sheets,
                    frame.rectangles, 0, options.overlap_search,
                    options.threads};
    if (options.target_length > 0)
        call.target_length = options.target_length - 2 * options.margin +
                             options.spacing;
    std::vector<Obstacle> pins = pinned_obstacles(problem, frame, options);
    EngineResult r = run_engine(items, pins, call, budget, options.seed);

    NestResult out;
    collect(problem, units, prep, r, frame, out);
    out.unplaced.insert(out.unplaced.end(), oversized.begin(),
                        oversized.end());
    measure(problem, options, out);
    std::sort(out.unplaced.begin(), out.unplaced.end(),
              [](const Unplaced& a, const Unplaced& b) {
                  return std::pair(a.part_index, a.copy) <
                         std::pair(b.part_index, b.copy);
              });
    out.engine = r.engine;
    out.evaluations = budget.evaluations();
    out.seconds = budget.elapsed_s();
    if (options.log != nullptr)
        options.log->info("nest: " + problem.name + ": " +
                          std::to_string(out.placements.size()) +
                          " placed, efficiency " +
                          std::to_string(out.efficiency));
    return out;
}

}  // namespace ripline::nest
