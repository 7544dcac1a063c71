// SPDX-License-Identifier: AGPL-3.0-or-later
// Strip shortening and sheet emptying by overlap minimisation with
// guided local search.
//
// The idea follows the overlap-minimisation line of strip packing
// (Egeblad, Nielsen and Odgaard 2007; Umetani et al. 2009; Gardeyn and
// Wauters' sparrow, whose phases and settings are followed here): fix
// the strip length, allow overlaps, and minimise their sum. Two parts
// overlap by the sum, over their pairs of convex pieces, of how deep the
// one's translation lies in the pair's no-fit polygon: the shortest move
// that separates the two pieces, 0 exactly when they only touch. Each
// pair carries a weight; a part moves to the best of random positions
// (over the strip and near where it stands, in every allowed
// orientation), the best few refined by coordinate descent, judged by
// its weighted overlap. When a pass ends with overlaps left, the weights
// of the pairs still overlapping grow (guided local search), so the
// search leaves the local minimum it sits in.
//
// With several threads, each runs a search of its own with its own seed,
// and the shortest strip wins: at a minute on two cores that beat one
// search whose every pass ran on both threads and kept the better.
// Every second search measures a pair's overlap by the square root of
// the summed depths instead (sparrow takes the root of its overlap-area
// proxy), each pair of pieces counted by how thick the thinner one is.
// Alone, that helps instances of few parts (blaz1) and of parts of many
// pieces (swim), and costs those of many parts (shirts, trousers). The
// searches meet three times to trade strips (Meeting): each goes on from
// the shortest, measuring as the search that found it did, so the
// measure that suits the instance ends up on every thread.
//
// A strip whose overlaps all vanish is feasible and becomes the best.
// Exploration then cuts it shorter; a strip it cannot separate is
// retried from the least overlapping failures, disrupted. Compression,
// the last share of the time, tries ever smaller cuts of the best strip.
//
// On sheets the same separator, at a sheet's fixed length, makes room
// for a part moved there from the emptiest sheet (SheetSearch).
#include "core/nest/separate.hpp"

#include "core/nest/crew.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#ifdef RIPLINE_NEST_TRACE
#include <cstdio>
#endif

namespace ripline::nest {

namespace {

// Search settings, from sparrow's defaults and runs on the ESICUP
// instances.
constexpr int global_samples = 50;   // random positions over the strip
constexpr int local_samples = 25;    // random positions near the part
constexpr int refined_samples = 3;   // best samples refined
constexpr double distinct_share = 0.05;  // of the part's least side
constexpr double coarse_first = 0.25, coarse_least = 0.02;  // descent
constexpr double fine_first = 0.01, fine_least = 0.001;     // steps
constexpr double step_grow = 1.1, step_cut = 0.5;
constexpr double shallow_share = 0.01;  // of the larger part's size
constexpr double weight_low = 1.2, weight_high = 2.0, weight_decay = 0.95;
constexpr double marked_gain = 0.98;  // a drop of 2 % counts as progress
constexpr int exits = 3;  // moves out of the deepest overlap tried

// Exploration cuts the strip by `explore_step` (the first attempts by
// more, halving on failures down to it) and keeps failures in a pool;
// compression cuts by a step that falls with time over the last share.
constexpr double first_step = 0.005, explore_step = 0.001;
constexpr int failures_per_step = 4;
constexpr size_t pool_size = 16;
constexpr double pool_spread = 0.25;  // half-normal, of the pool
constexpr double large_share = 0.75;  // of the area: the parts disrupted
constexpr double compress_share = 0.2;
constexpr double compress_first = 0.0005, compress_least = 0.00001;

// When the searches of one nest meet to trade strips, as shares of a
// search's time after its start: twice in exploration and where
// compression begins.
constexpr double meet_at[] = {0.3, 0.55, 1 - compress_share};

// Sheets: each compaction of a sheet gets this share of what is left.
constexpr double compact_share = 0.1;

struct Attempt {
    int patience;  // passes without a better total
    int strikes;   // tries from the best state without a marked gain
};
constexpr Attempt exploring{200, 3}, compressing{100, 5};

struct ItemPose {
    int option = 0;
    Point t;
};

// How a pair of parts' overlap is measured: the sum of their pieces'
// penetration depths, or the square root of that sum times the shallow
// depth (one overlap of that depth measures the same either way), under
// which one deep overlap costs less than several shallow ones. Under the
// root a pair of pieces also counts by the thinner one's thickness, over
// the thinner of the two parts' thickest pieces: parts of one piece
// measure as without it, while a sliver of a part of many pieces poking
// into a neighbour costs less than its body as deep in it (sparrow
// weighs its circles' overlaps by the smaller radius).
enum class Measure { depth, root };

Box shifted(const Box& b, Point t)
{
    return {b.x_min + t.x, b.y_min + t.y, b.x_max + t.x, b.y_max + t.y};
}

bool boxes_meet(const Box& a, const Box& b)
{
    return a.x_min < b.x_max && b.x_min < a.x_max && a.y_min < b.y_max &&
           b.y_min < a.y_max;
}

// Which parts' boxes may meet a box: a uniform grid over the strip, each
// part listed in every cell its box covers, so a move looks only at the
// parts near where it samples rather than at all of them.
class BoxGrid {
public:
    void reset(double width, double length, double cell, size_t items);
    void insert(int item, const Box& b);
    void erase(int item);
    // f(item) for every part listed in a cell `b` covers, each once,
    // while f returns true.
    template <typename F>
    void each_near(const Box& b, F f);

private:
    struct Span {
        int c0 = 0, c1 = -1, r0 = 0, r1 = -1;
    };
    Span span(const Box& b) const;

    double per_cell_ = 1;  // cells per unit of length
    int cols_ = 0, rows_ = 0;
    std::vector<std::vector<int>> cells_;
    std::vector<Span> at_;  // per item, the cells it is listed in
    std::vector<unsigned> seen_;
    unsigned stamp_ = 0;
};

void BoxGrid::reset(double width, double length, double cell, size_t items)
{
    // At most four cells a part: a wide roll of small parts would
    // otherwise take more cells than the moves could use.
    double most = std::max(64.0, 4.0 * double(items));
    cell = std::max(cell, std::sqrt(width * length / most));
    int cols = int(std::clamp(std::ceil(width / cell), 1.0, most));
    int rows = int(std::clamp(std::ceil(length / cell), 1.0, most));
    if (cols == cols_ && rows == rows_) {
        for (std::vector<int>& list : cells_)
            list.clear();
    } else {
        cells_.assign(size_t(cols) * size_t(rows), {});
    }
    per_cell_ = 1 / cell;
    cols_ = cols;
    rows_ = rows;
    at_.assign(items, {});
    seen_.assign(items, 0);
    stamp_ = 0;
}

BoxGrid::Span BoxGrid::span(const Box& b) const
{
    // Monotone in v, so boxes that meet share a cell.
    auto index = [this](double v, int count) {
        return std::min(int(std::max(0.0, v * per_cell_)), count - 1);
    };
    return {index(b.x_min, cols_), index(b.x_max, cols_),
            index(b.y_min, rows_), index(b.y_max, rows_)};
}

void BoxGrid::insert(int item, const Box& b)
{
    Span s = span(b);
    at_[size_t(item)] = s;
    for (int r = s.r0; r <= s.r1; ++r)
        for (int c = s.c0; c <= s.c1; ++c)
            cells_[size_t(r) * size_t(cols_) + size_t(c)].push_back(item);
}

void BoxGrid::erase(int item)
{
    Span s = std::exchange(at_[size_t(item)], Span{});
    for (int r = s.r0; r <= s.r1; ++r) {
        for (int c = s.c0; c <= s.c1; ++c) {
            std::vector<int>& list =
                cells_[size_t(r) * size_t(cols_) + size_t(c)];
            auto it = std::find(list.begin(), list.end(), item);
            *it = list.back();
            list.pop_back();
        }
    }
}

template <typename F>
void BoxGrid::each_near(const Box& b, F f)
{
    if (++stamp_ == 0) {  // wrapped: forget every old stamp
        std::fill(seen_.begin(), seen_.end(), 0);
        stamp_ = 1;
    }
    Span s = span(b);
    for (int r = s.r0; r <= s.r1; ++r) {
        for (int c = s.c0; c <= s.c1; ++c) {
            for (int item : cells_[size_t(r) * size_t(cols_) + size_t(c)]) {
                if (seen_[size_t(item)] == stamp_)
                    continue;
                seen_[size_t(item)] = stamp_;
                if (!f(item))
                    return;
            }
        }
    }
}

// The layout a search separates: it moves overlapping parts one at a
// time, judged by the weights the separator holds.
class Worker {
public:
    Worker(const ShapeProblem& p, PieceLibrary& lib,
           const std::vector<std::vector<int>>& orients, Measure measure,
           std::uint64_t seed);

    // Every overlapping part, in a random order, moved once.
    void pass(const std::vector<double>& weights, const Budget& budget);

    void load(const std::vector<ItemPose>& poses, double length);
    StripLayout snapshot() const;
    const std::vector<ItemPose>& poses() const { return pose_; }
    double length() const { return length_; }
    Measure measure() const { return measure_; }
    // Takes effect at the next load().
    void measure_by(Measure m) { measure_ = m; }

    double total() const;
    double overlap(size_t i, size_t j) const { return overlap_[i * n_ + j]; }
    long take_moves() { return std::exchange(moves_, 0); }

    void shrink(double length, double cut);
    // The far edge of the pinned parts, which no strip cuts off.
    double pinned_far() const;
    void disrupt();
    bool covers(int i, Point p) const;

    std::mt19937_64 rng;

private:
    // An item at a pose with its boxes in strip coordinates.
    struct Placed {
        int item = 0;
        ItemPose pose;
        const std::vector<int>* pieces = nullptr;
        int hull = -1;
        double thickest = 0;
        Box box;
        std::vector<Box> piece_boxes;
    };
    struct Sample {
        ItemPose pose;
        double cost = INFINITY;
        static bool cheaper(const Sample& a, const Sample& b)
        {
            return a.cost < b.cost;
        }
    };

    const Orient& orient(int item, int option) const
    {
        return lib_.orient(orients_[size_t(item)][size_t(option)]);
    }
    double weight(size_t i, size_t j) const
    {
        return (*weights_)[i * n_ + j];
    }
    double least_side(int i, int option) const;
    static double shallow_floor(double depth, double shallow);
    void place(Placed& out, int i, const ItemPose& pose) const;
    // f(placed piece, moving piece) for every pair of their boxes that
    // meet, `m` moving against `other`.
    template <typename F>
    void each_piece_pair(const Placed& m, const Placed& other, F f) const;
    double pair_overlap(const Placed& m, int j);
    double cost(int i, const ItemPose& pose, double bound);
    Point clamp(int i, const ItemPose& pose) const;
    int random_option(int i);
    ItemPose random_pose(int i);
    ItemPose near_pose(int i);
    void keep(std::vector<Sample>& best, const Sample& s, double apart);
    Sample descend(int i, Sample s, double first, double least);
    bool exit_deepest(int i, ItemPose& pose);
    void move(int i);
    void overlaps_of(int i);
    void refresh(int i);
    void refresh_all();
    double item_overlap(size_t i) const;

    bool pinned(size_t i) const { return i >= movable_; }

    const ShapeProblem& p_;
    PieceLibrary& lib_;  // the thread's own: threads share no cache
    const std::vector<std::vector<int>>& orients_;
    size_t n_;
    size_t movable_;  // items from here on are pinned
    Measure measure_;
    std::uniform_real_distribution<double> unit_{0, 1};
    double eps_;  // depths below this are rounding, not overlap
    std::vector<double> shallow_;  // per item: 1 % of its size
    std::vector<std::vector<int>> fitting_;  // per item: options that fit
    std::vector<double> scale_;  // per item: root of its area, relative
    std::vector<double> hull_area_;  // per item
    std::vector<int> large_;         // the items disrupt() swaps
    // pair_overlap()'s piece pairs, where their packed polygons start and
    // their depths: kept to spare an allocation per pair of parts.
    std::vector<std::pair<int, int>> pairs_;
    std::vector<std::int32_t> packed_;
    std::vector<double> depths_;
    const std::vector<double>* weights_ = nullptr;
    double length_ = 0;
    long moves_ = 0;
    std::vector<ItemPose> pose_;
    std::vector<double> overlap_;
    std::vector<Placed> placed_;  // per item, where it stands
    BoxGrid grid_;                // of the placed boxes
    double cell_ = 1;             // the grid's cell: the mean part's size
    Placed moving_;               // scratch for cost()
    std::vector<Sample> samples_;
};

Worker::Worker(const ShapeProblem& p, PieceLibrary& lib,
               const std::vector<std::vector<int>>& orients, Measure measure,
               std::uint64_t seed)
    : rng(seed), p_(p), lib_(lib), orients_(orients), n_(p.items.size()),
      movable_(n_ - std::min(n_, p.pinned_items)), measure_(measure),
      eps_(1e-9 * lib.scale), overlap_(n_ * n_, 0), placed_(n_)
{
    // Overlaps of large parts weigh more: the square roots of the two
    // areas scale each pair, relative to the mean part.
    double mean_area = 0;
    for (size_t i = 0; i < n_; ++i)
        mean_area += p.items[i].area / double(n_);
    for (size_t i = 0; i < n_; ++i) {
        scale_.push_back(std::sqrt(p.items[i].area / mean_area));
        const Box& b = orient(int(i), 0).box;
        shallow_.push_back(shallow_share * std::max(b.width(), b.height()));
        int hull = orient(int(i), 0).hull;
        hull_area_.push_back(hull >= 0 ? signed_area(lib_.piece(hull).ring)
                                       : p.items[i].area);
    }

    double sides = 0;
    for (size_t i = 0; i < n_; ++i) {
        const Box& b = orient(int(i), 0).box;
        sides += std::max(b.width(), b.height()) / double(n_);
    }
    cell_ = std::max(sides, 1e-9 * lib.scale);

    // The orientations a part may take: those no wider than the strip
    // (gardeyn2's tallest part fits only turned by 90 degrees), and on a
    // sheet no longer than it. Nothing else keeps a part inside the
    // media. The search only starts from a layout where every part found
    // a place by the same test with the same tolerance
    // (ShapeProblem::fits_media, the placer's), so none is left without
    // one.
    fitting_.resize(n_);
    for (size_t i = 0; i < n_; ++i) {
        for (size_t k = 0; k < orients_[i].size(); ++k)
            if (p_.fits_media(orient(int(i), int(k)).box, eps_))
                fitting_[i].push_back(int(k));
        if (fitting_[i].empty() && !pinned(i))  // a pin is as given
            throw std::invalid_argument(
                "nest: item " + std::to_string(i) +
                " fits the media in no orientation");
    }

    // The parts a disruption swaps: largest hull first, those that make
    // up `large_share` of the hulls' total area.
    std::vector<int> by_area(movable_);
    for (size_t i = 0; i < movable_; ++i)
        by_area[i] = int(i);
    std::sort(by_area.begin(), by_area.end(), [this](int a, int b) {
        return hull_area_[size_t(a)] > hull_area_[size_t(b)];
    });
    double all = 0, sum = 0;
    for (int i : by_area)
        all += hull_area_[size_t(i)];
    for (int i : by_area) {
        large_.push_back(i);
        sum += hull_area_[size_t(i)];
        if (sum > large_share * all)
            break;
    }
}

double Worker::least_side(int i, int option) const
{
    const Box& b = orient(i, option).box;
    return std::min(b.width(), b.height());
}

// A shallow overlap is not much cheaper than one of depth `shallow`
// (1 % of the larger part): it costs at least half of that, so the
// search does not settle into many slight overlaps it can never quite
// remove.
double Worker::shallow_floor(double depth, double shallow)
{
    if (depth >= shallow)
        return depth;
    return shallow * shallow / (2 * shallow - depth);
}

void Worker::place(Placed& out, int i, const ItemPose& pose) const
{
    const Orient& o = orient(i, pose.option);
    out.item = i;
    out.pose = pose;
    out.pieces = &o.pieces;
    out.hull = o.hull;
    out.thickest = o.thickest;
    out.box = shifted(o.box, pose.t);
    out.piece_boxes.clear();
    for (int piece : o.pieces)
        out.piece_boxes.push_back(shifted(lib_.piece(piece).box, pose.t));
}

template <typename F>
void Worker::each_piece_pair(const Placed& m, const Placed& other, F f) const
{
    const std::vector<int>& a = *other.pieces;
    const std::vector<int>& b = *m.pieces;
    for (size_t ka = 0; ka < a.size(); ++ka) {
        const Box& box_a = other.piece_boxes[ka];
        if (!boxes_meet(box_a, m.box))
            continue;
        for (size_t kb = 0; kb < b.size(); ++kb)
            if (boxes_meet(box_a, m.piece_boxes[kb]))
                f(a[ka], b[kb]);
    }
}

// Item m.item at its pose against item j where it stands.
double Worker::pair_overlap(const Placed& m, int j)
{
    const Placed& other = placed_[size_t(j)];
    if (!boxes_meet(m.box, other.box))
        return 0;
    Point d = m.pose.t - other.pose.t;
    // Hulls apart, parts apart: one test instead of every piece pair.
    if ((m.pieces->size() > 1 || other.pieces->size() > 1) && m.hull >= 0 &&
        other.hull >= 0 && lib_.depth(other.hull, m.hull, d) <= 0)
        return 0;
    bool root = measure_ == Measure::root;
    pairs_.clear();
    packed_.clear();
    each_piece_pair(m, other, [&](int placed, int moving) {
        packed_.push_back(lib_.packed(placed, moving));
        if (root)
            pairs_.push_back({placed, moving});
    });
    depths_.resize(packed_.size());
    lib_.depths(packed_.data(), packed_.size(), d, depths_.data());

    double sum = 0;
    double shallow = std::max(shallow_[size_t(m.item)], shallow_[size_t(j)]);
    double thinner = std::min(m.thickest, other.thickest);
    double per_thickness = root && thinner > 0 ? 1 / thinner : 0;
    for (size_t k = 0; k < depths_.size(); ++k) {
        double depth = depths_[k];
        if (depth <= eps_)
            continue;
        depth = shallow_floor(depth, shallow);
        if (root)
            depth *= std::min(lib_.piece(pairs_[k].first).thickness,
                              lib_.piece(pairs_[k].second).thickness) *
                     per_thickness;
        sum += depth;
    }
    if (root)
        sum = std::sqrt(sum * shallow);
    return sum * scale_[size_t(m.item)] * scale_[size_t(j)];
}

// Weighted overlap of item i at `pose`; stops counting past `bound`.
double Worker::cost(int i, const ItemPose& pose, double bound)
{
    place(moving_, i, pose);
    double sum = 0;
    grid_.each_near(moving_.box, [&](int j) {
        if (j != i)
            sum += weight(size_t(i), size_t(j)) * pair_overlap(moving_, j);
        return sum < bound;
    });
    return sum;
}

// The nearest translation that keeps the part inside the strip.
Point Worker::clamp(int i, const ItemPose& pose) const
{
    const Box& b = orient(i, pose.option).box;
    double x_hi = std::max(-b.x_min, p_.width - b.x_max);
    double y_hi = std::max(-b.y_min, length_ - b.y_max);
    return {std::clamp(pose.t.x, -b.x_min, x_hi),
            std::clamp(pose.t.y, -b.y_min, y_hi)};
}

// An orientation that fits across and is no taller than the strip: a
// taller one (a banner turned on a short nest) would stand past the
// strip's end, where nothing counts it as overlap, and a "feasible"
// strip would grow. Every part has one, the strip being no shorter than
// any part in its lowest orientation.
int Worker::random_option(int i)
{
    const std::vector<int>& fitting = fitting_[size_t(i)];
    auto short_enough = [&](int k) {
        return orient(i, k).box.height() <= length_ + eps_;
    };
    auto options = std::count_if(fitting.begin(), fitting.end(),
                                 short_enough);
    if (options == 0)
        return fitting.front();
    auto pick = std::min(options - 1, long(unit_(rng) * double(options)));
    for (int k : fitting)
        if (short_enough(k) && pick-- == 0)
            return k;
    return fitting.front();
}

ItemPose Worker::random_pose(int i)
{
    ItemPose pose;
    pose.option = random_option(i);
    const Box& b = orient(i, pose.option).box;
    double x_span = std::max(0.0, p_.width - b.width());
    double y_span = std::max(0.0, length_ - b.height());
    pose.t = {-b.x_min + unit_(rng) * x_span, -b.y_min + unit_(rng) * y_span};
    return pose;
}

// Somewhere the part's box would still meet the box it stands in.
ItemPose Worker::near_pose(int i)
{
    // Centre for centre, in any allowed orientation.
    const ItemPose& now = pose_[size_t(i)];
    const Box& was = orient(i, now.option).box;
    ItemPose pose;
    pose.option = random_option(i);
    const Box& b = orient(i, pose.option).box;
    pose.t.x = now.t.x + (was.x_min + was.x_max - b.x_min - b.x_max) / 2 +
               (unit_(rng) - 0.5) * was.width();
    pose.t.y = now.t.y + (was.y_min + was.y_max - b.y_min - b.y_max) / 2 +
               (unit_(rng) - 0.5) * was.height();
    pose.t = clamp(i, pose);
    return pose;
}

// Keep the few best samples that lie apart: one within `apart` of a kept
// one in the same orientation replaces it only when better.
void Worker::keep(std::vector<Sample>& best, const Sample& s, double apart)
{
    for (Sample& k : best) {
        if (k.pose.option == s.pose.option &&
            std::abs(k.pose.t.x - s.pose.t.x) < apart &&
            std::abs(k.pose.t.y - s.pose.t.y) < apart) {
            if (s.cost < k.cost)
                k = s;
            return;
        }
    }
    if (best.size() < size_t(refined_samples)) {
        best.push_back(s);
        return;
    }
    auto worst = std::max_element(best.begin(), best.end(), Sample::cheaper);
    if (s.cost < worst->cost)
        *worst = s;
}

// Coordinate descent: steps along x and y from `first` to `least` of the
// part's least side, longer after a success, shorter after a failure.
Worker::Sample Worker::descend(int i, Sample s, double first, double least)
{
    double side = least_side(i, s.pose.option);
    double step = first * side;
    const Point dirs[] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    while (step > least * side && s.cost > 0) {
        bool moved = false;
        for (Point d : dirs) {
            ItemPose next = s.pose;
            next.t = {s.pose.t.x + d.x * step, s.pose.t.y + d.y * step};
            next.t = clamp(i, next);
            double c = cost(i, next, s.cost);
            if (c < s.cost) {
                s = {next, c};
                moved = true;
                break;
            }
        }
        step *= moved ? step_grow : step_cut;
    }
    return s;
}

// Move item i out of its deepest overlap with one convex piece, onto
// the edge of their no-fit polygon: a touching pose, which the sampled
// steps only approach, and which exact fits need.
bool Worker::exit_deepest(int i, ItemPose& pose)
{
    place(moving_, i, pose);
    double deepest = 0;
    Point out;
    grid_.each_near(moving_.box, [&](int j) {
        const Placed& other = placed_[size_t(j)];
        if (j == i || !boxes_meet(moving_.box, other.box))
            return true;
        Point d = pose.t - other.pose.t;
        each_piece_pair(moving_, other, [&](int placed, int moving) {
            Point move;
            double depth = exit_move(lib_.nfp(placed, moving), d, move);
            if (depth > deepest) {
                deepest = depth;
                out = move;
            }
        });
        return true;
    });
    if (deepest <= eps_)
        return false;
    pose.t = pose.t + out;
    pose.t = clamp(i, pose);
    return true;
}

// Move item i to the least weighted overlap found.
void Worker::move(int i)
{
    double apart = distinct_share * least_side(i, pose_[size_t(i)].option);
    samples_.clear();
    keep(samples_, {pose_[size_t(i)], cost(i, pose_[size_t(i)], INFINITY)},
         apart);
    auto bound = [this] {
        if (samples_.size() < size_t(refined_samples))
            return double(INFINITY);
        double worst = 0;
        for (const Sample& s : samples_)
            worst = std::max(worst, s.cost);
        return worst;
    };
    for (int k = 0; k < local_samples + global_samples; ++k) {
        ItemPose pose = k < local_samples ? near_pose(i) : random_pose(i);
        keep(samples_, {pose, cost(i, pose, bound())}, apart);
    }
    std::vector<Sample> starts = samples_;
    for (const Sample& s : starts)
        keep(samples_, descend(i, s, coarse_first, coarse_least), apart);
    Sample best =
        *std::min_element(samples_.begin(), samples_.end(), Sample::cheaper);
    best = descend(i, best, fine_first, fine_least);
    for (int k = 0; k < exits && best.cost > 0; ++k) {
        Sample out = best;
        if (!exit_deepest(i, out.pose))
            break;
        out.cost = cost(i, out.pose, best.cost);
        if (!(out.cost < best.cost))
            break;
        best = out;
    }
    pose_[size_t(i)] = best.pose;
    refresh(i);
}

// Item i's overlaps with the parts near it where it stands now; the grid
// lists it where it stands.
void Worker::overlaps_of(int i)
{
    for (size_t j = 0; j < n_; ++j) {
        overlap_[size_t(i) * n_ + j] = 0;
        overlap_[j * n_ + size_t(i)] = 0;
    }
    grid_.each_near(placed_[size_t(i)].box, [&](int j) {
        // Two pins are as given: an overlap of theirs is the check's to
        // report, not the search's to remove.
        if (j != i && !(pinned(size_t(i)) && pinned(size_t(j)))) {
            double o = pair_overlap(placed_[size_t(i)], j);
            overlap_[size_t(i) * n_ + size_t(j)] = o;
            overlap_[size_t(j) * n_ + size_t(i)] = o;
        }
        return true;
    });
}

void Worker::refresh(int i)
{
    grid_.erase(i);
    place(placed_[size_t(i)], i, pose_[size_t(i)]);
    grid_.insert(i, placed_[size_t(i)].box);
    overlaps_of(i);
}

void Worker::refresh_all()
{
    grid_.reset(p_.width, length_, cell_, n_);
    for (size_t i = 0; i < n_; ++i) {
        place(placed_[i], int(i), pose_[i]);
        grid_.insert(int(i), placed_[i].box);
    }
    for (size_t i = 0; i < n_; ++i)
        overlaps_of(int(i));
}

double Worker::total() const
{
    double sum = 0;
    for (double o : overlap_)
        sum += o;
    return sum / 2;
}

double Worker::item_overlap(size_t i) const
{
    double sum = 0;
    for (size_t j = 0; j < n_; ++j)
        sum += overlap_[i * n_ + j];
    return sum;
}

void Worker::pass(const std::vector<double>& weights, const Budget& budget)
{
    lib_.trim();
    weights_ = &weights;
    std::vector<int> order;
    for (size_t i = 0; i < movable_; ++i)
        if (item_overlap(i) > 0)
            order.push_back(int(i));
    std::shuffle(order.begin(), order.end(), rng);
    for (int i : order) {
        if (budget.spent())
            return;
        if (item_overlap(size_t(i)) > 0) {
            move(i);
            ++moves_;
        }
    }
}

void Worker::load(const std::vector<ItemPose>& poses, double length)
{
    pose_ = poses;
    length_ = length;
    refresh_all();
}

StripLayout Worker::snapshot() const
{
    StripLayout l;
    for (size_t i = 0; i < n_; ++i) {
        l.option.push_back(pose_[i].option);
        l.t.push_back(pose_[i].t);
        const Box& b = orient(int(i), pose_[i].option).box;
        l.length = std::max(l.length, pose_[i].t.y + b.y_max);
    }
    return l;
}

double Worker::pinned_far() const
{
    double far = 0;
    for (size_t i = movable_; i < n_; ++i)
        far = std::max(far, pose_[i].t.y + orient(int(i), pose_[i].option)
                                               .box.y_max);
    return far;
}

// Cut the strip at `cut` and close the gap: parts beyond the cut move
// back by the difference, then every part is pulled inside; pinned parts
// stay.
void Worker::shrink(double length, double cut)
{
    double by = length_ - length;
    length_ = length;
    for (size_t i = 0; i < movable_; ++i) {
        ItemPose& pose = pose_[i];
        const Box& b = orient(int(i), pose.option).box;
        if (pose.t.y + (b.y_min + b.y_max) / 2 > cut)
            pose.t.y -= by;
        pose.t = clamp(int(i), pose);
    }
    refresh_all();
}

// Whether point p lies in item i where it stands.
bool Worker::covers(int i, Point p) const
{
    const ItemPose& pose = pose_[size_t(i)];
    for (int piece : orient(i, pose.option).pieces)
        if (point_in_ring(p - pose.t, lib_.piece(piece).ring))
            return true;
    return false;
}

// Swap two of the large parts that differ in shape, centre for centre,
// so a retry does not fall back into the same arrangement. Parts that the
// one now covers (their inner point inside it) move by the same offset
// into the room it left, so a large part swapped with a small one does
// not land on a crowd of small ones.
void Worker::disrupt()
{
    auto pick = [&] {
        return large_[size_t(unit_(rng) * double(large_.size())) %
                      large_.size()];
    };
    auto centre = [&](int k) {
        const Box& b = orient(k, pose_[size_t(k)].option).box;
        return Point{(b.x_min + b.x_max) / 2, (b.y_min + b.y_max) / 2};
    };
    auto inner = [&](int k) {
        return pose_[size_t(k)].t + orient(k, pose_[size_t(k)].option).inner;
    };
    for (int tries = 0; tries < 16 && large_.size() >= 2; ++tries) {
        int i = pick(), j = pick();
        if (std::abs(hull_area_[size_t(i)] - hull_area_[size_t(j)]) <=
            1e-3 * hull_area_[size_t(i)])
            continue;
        Point ci = pose_[size_t(i)].t + centre(i);
        Point cj = pose_[size_t(j)].t + centre(j);
        Point was_i = pose_[size_t(i)].t, was_j = pose_[size_t(j)].t;
        pose_[size_t(i)].t = clamp(i, {pose_[size_t(i)].option,
                                       cj - centre(i)});
        pose_[size_t(j)].t = clamp(j, {pose_[size_t(j)].option,
                                       ci - centre(j)});
        for (auto [mover, was] : {std::pair{i, was_i}, std::pair{j, was_j}}) {
            Point by = was - pose_[size_t(mover)].t;
            for (size_t k = 0; k < movable_; ++k) {
                int c = int(k);
                if (c == i || c == j || !covers(mover, inner(c)))
                    continue;
                pose_[k].t = clamp(c, {pose_[k].option, pose_[k].t + by});
            }
        }
        break;
    }
    refresh_all();
}

// Which of two strips wins, at a meeting and at the end.
bool shorter(const StripLayout& a, const StripLayout& b)
{
    return a.length < b.length;
}

// A strip brought to a meeting, and how the search that found it
// measured overlaps.
struct Found {
    StripLayout strip;
    Measure measure;
};

// A failed attempt: its least overlapping state.
struct Failure {
    double loss;
    std::vector<ItemPose> poses;
};

class Separator {
public:
    Separator(const ShapeProblem& p, PieceLibrary& lib,
              const std::vector<std::vector<int>>& orients, Measure measure,
              std::uint64_t seed);

    // Search k of those that meet at `meeting`, which must outlive run().
    void join(Meeting<Found>& meeting, size_t k);
    StripLayout run(const StripLayout& start, Budget& budget);
    // Remove every overlap of `poses` without shortening `length`: a
    // sheet that takes one part more. Where that succeeds, `poses` are
    // where the parts ended.
    bool settle(std::vector<ItemPose>& poses, double length, Budget& budget);

private:
    double floor_length() const;
    bool separate(Budget& budget, Attempt attempt);
    void pass(Budget& budget);
    void raise_weights();
    void start_at(const StripLayout& best, double step);
    void remember(std::vector<Failure>& pool);
    void retry_from(const std::vector<Failure>& pool);
    StripLayout explore(StripLayout best, Budget& budget, double until);
    StripLayout compress(StripLayout best, Budget& budget);
    bool done(const StripLayout& best, const Budget& budget) const;
    bool due(const Budget& budget) const;
    StripLayout meet(const StripLayout& best);

    const ShapeProblem& p_;
    size_t n_;
    Worker worker_;
    std::vector<double> weight_;  // per pair
    double floor_ = 0;
    Meeting<Found>* meeting_ = nullptr;
    size_t search_ = 0;  // which of the meeting's
    size_t round_ = 0;   // the next meeting
    double from_ = 0;    // the budget's progress where run() began
    std::uniform_real_distribution<double> unit_{0, 1};
};

Separator::Separator(const ShapeProblem& p, PieceLibrary& lib,
                     const std::vector<std::vector<int>>& orients,
                     Measure measure, std::uint64_t seed)
    : p_(p), n_(p.items.size()), worker_(p, lib, orients, measure, seed),
      weight_(n_ * n_, 1)
{
    floor_ = floor_length();
}

void Separator::join(Meeting<Found>& meeting, size_t k)
{
    meeting_ = &meeting;
    search_ = k;
}

// No strip is shorter than the parts' area over its width, nor than the
// tallest part in its lowest orientation (nor than the pinned parts
// reach: run() adds that, from where its start puts them).
double Separator::floor_length() const
{
    double area = 0, tallest = 0;
    for (const ShapeItem& item : p_.items) {
        area += item.area;
        double least_height = INFINITY;
        for (const ShapeOrientation& o : item.options)
            least_height = std::min(least_height, bounds(o.rings).height());
        tallest = std::max(tallest, least_height);
    }
    return std::max(area / p_.width, tallest);
}

void Separator::pass(Budget& budget)
{
    worker_.pass(weight_, budget);
    budget.count(worker_.take_moves());
}

// Pairs that still overlap weigh more, the deeper the more; the others
// drift back towards 1.
void Separator::raise_weights()
{
    const Worker& w = worker_;
    double deepest = 0;
    for (size_t i = 0; i < n_; ++i)
        for (size_t j = i + 1; j < n_; ++j)
            deepest = std::max(deepest, w.overlap(i, j));
    for (size_t i = 0; i < n_; ++i) {
        for (size_t j = i + 1; j < n_; ++j) {
            double o = w.overlap(i, j), v = weight_[i * n_ + j];
            v = o > 0 ? v * (weight_low +
                             (weight_high - weight_low) * o / deepest)
                      : std::max(1.0, v * weight_decay);
            weight_[i * n_ + j] = v;
            weight_[j * n_ + i] = v;
        }
    }
}

// Try to remove every overlap at the worker's length. Fails when `strikes`
// tries in a row, each from the least overlapping state so far, end
// without a marked gain; the worker is then left in that state. Gives up
// too when the budget is spent or a meeting is due.
bool Separator::separate(Budget& budget, Attempt attempt)
{
    std::fill(weight_.begin(), weight_.end(), 1.0);
    std::vector<ItemPose> kept = worker_.poses();
    double kept_loss = worker_.total();
    for (int strike = 0; strike < attempt.strikes;) {
        double strike_start = worker_.total();
        for (int idle = 0; idle < attempt.patience;) {
            if (budget.spent() || due(budget))
                return false;
            pass(budget);
            double loss = worker_.total();
            if (loss <= 0)
                return true;
            if (loss < kept_loss) {
                if (loss < marked_gain * kept_loss)
                    idle = 0;
                kept_loss = loss;
                kept = worker_.poses();
            } else {
                ++idle;
            }
            raise_weights();
        }
        strike = strike_start * marked_gain <= kept_loss ? strike + 1 : 0;
        worker_.load(kept, worker_.length());
    }
    return false;
}

bool Separator::done(const StripLayout& best, const Budget& budget) const
{
    return budget.spent() || best.length <= floor_ * (1 + 1e-9) ||
           (p_.target_length > 0 && best.length <= p_.target_length);
}

bool Separator::due(const Budget& budget) const
{
    return meeting_ && round_ < std::size(meet_at) &&
           budget.progress() >= from_ + (1 - from_) * meet_at[round_];
}

// Trade best strips at the meeting that is due; the worker then starts
// from the shortest, measuring overlaps as the search that found it
// did.
StripLayout Separator::meet(const StripLayout& best)
{
    auto wins = [](const Found& a, const Found& b) {
        return shorter(a.strip, b.strip);
    };
    Found found =
        meeting_->meet(search_, round_, {best, worker_.measure()}, wins);
#ifdef RIPLINE_NEST_TRACE
    std::fprintf(stderr, "search %zu, meeting %zu: %g for its %g\n",
                 search_, round_, found.strip.length, best.length);
#endif
    ++round_;
    worker_.measure_by(found.measure);
    return found.strip;
}

// The best strip into the worker, cut shorter by `step` at a random
// place.
void Separator::start_at(const StripLayout& best, double step)
{
    std::vector<ItemPose> poses;
    for (size_t i = 0; i < n_; ++i)
        poses.push_back({best.option[i], best.t[i]});
    Worker& w = worker_;
    w.load(poses, best.length);
    w.shrink(std::max(floor_, best.length * (1 - step)),
             unit_(w.rng) * best.length);
}

void Separator::remember(std::vector<Failure>& pool)
{
    Failure f{worker_.total(), worker_.poses()};
    auto at = std::upper_bound(pool.begin(), pool.end(), f.loss,
                               [](double loss, const Failure& g) {
                                   return loss < g.loss;
                               });
    pool.insert(at, std::move(f));
    if (pool.size() > pool_size)
        pool.pop_back();
}

// Start again from one of the failures, the less overlapping ones more
// likely, with two large parts swapped.
void Separator::retry_from(const std::vector<Failure>& pool)
{
    Worker& w = worker_;
    std::normal_distribution<double> spread(0, pool_spread);
    double draw = std::min(0.999, std::abs(spread(w.rng)));
    const Failure& f = pool[size_t(draw * double(pool.size()))];
    w.load(f.poses, w.length());
    w.disrupt();
}

StripLayout Separator::explore(StripLayout best, Budget& budget,
                               double until)
{
    double step = first_step;
    int failures = 0;
    std::vector<Failure> pool;
    start_at(best, step);
    while (!done(best, budget) && budget.progress() < until) {
        bool ok = separate(budget, exploring);
#ifdef RIPLINE_NEST_TRACE
        std::fprintf(stderr, "explore: length %g %s at %.2f s, %ld moves\n",
                     worker_.length(), ok ? "feasible" : "not feasible",
                     budget.elapsed_s(), budget.evaluations());
#endif
        if (ok)
            best = worker_.snapshot();
        bool met = due(budget);
        if (met)
            best = meet(best);
        if (ok || met) {
            failures = 0;
            pool.clear();
            start_at(best, step);
        } else if (++failures >= failures_per_step && step > explore_step) {
            // Too long a cut: try a shorter one from the best strip.
            step = std::max(explore_step, step / 2);
            failures = 0;
            pool.clear();
            start_at(best, step);
        } else if (!budget.spent()) {
            remember(pool);
            retry_from(pool);
        }
    }
    return best;
}

StripLayout Separator::compress(StripLayout best, Budget& budget)
{
    double from = budget.progress();
    while (!done(best, budget)) {
        // The cut falls from the first to the least step with time.
        double share = std::clamp((budget.progress() - from) /
                                      std::max(1e-9, 1 - from),
                                  0.0, 1.0);
        double step = compress_first +
                      (compress_least - compress_first) * share;
        start_at(best, step);
        bool ok = separate(budget, compressing);
#ifdef RIPLINE_NEST_TRACE
        std::fprintf(stderr, "compress: length %g %s at %.2f s\n",
                     worker_.length(), ok ? "feasible" : "not feasible",
                     budget.elapsed_s());
#endif
        if (ok)
            best = worker_.snapshot();
        if (due(budget))
            best = meet(best);
    }
    return best;
}

bool Separator::settle(std::vector<ItemPose>& poses, double length,
                       Budget& budget)
{
    worker_.load(poses, length);
    if (worker_.total() > 0 && !separate(budget, exploring))
        return false;
    poses = worker_.poses();
    return true;
}

StripLayout Separator::run(const StripLayout& start, Budget& budget)
{
    if (p_.pinned_items > 0) {
        std::vector<ItemPose> poses;
        for (size_t i = 0; i < n_; ++i)
            poses.push_back({start.option[i], start.t[i]});
        worker_.load(poses, start.length);
        floor_ = std::max(floor_, worker_.pinned_far());
    }
    from_ = budget.progress();
    double until = from_ + (1 - from_) * (1 - compress_share);
    StripLayout best = explore(start, budget, until);
    if (due(budget))  // the meeting where compression begins
        best = meet(best);
    return compress(best, budget);
}

// Sheets emptied one part at a time. A round first compacts every sheet
// the movers may go to, as a strip is shortened, so that its room is one
// band across its far end. A part then moves onto another sheet by
// joining the parts there, in that band where it fits there (else
// anywhere), and the separator removing the overlaps at the sheet's
// length (a strip's search with nothing to shorten); a sheet it cannot
// clear keeps what it had. Parts left out go first, then those of the
// emptiest sheet, the largest first, each onto the sheet with the most
// room. Rounds go on while the budget lasts and a part has a sheet with
// room to try, until no part is left out and the sheets are as few as
// the parts' area allows.
class SheetSearch {
public:
    SheetSearch(const ShapeProblem& p, const PieceLibrary& lib,
                const std::vector<std::vector<int>>& orients,
                const std::vector<int>& fixed, std::uint64_t seed);

    SheetLayout run(SheetLayout l, Budget& budget);

private:
    std::vector<double> taken(const SheetLayout& l) const;
    std::vector<int> movers(const SheetLayout& l) const;
    std::vector<int> targets(const SheetLayout& l, int i) const;
    std::vector<int> members(const SheetLayout& l, int sheet) const;
    ShapeProblem sub_problem(const SheetLayout& l,
                             const std::vector<int>& items, int sheet,
                             bool strip,
                             std::vector<std::vector<int>>& orients,
                             std::vector<ItemPose>& poses) const;
    double far_end(const std::vector<std::vector<int>>& orients,
                   const std::vector<ItemPose>& poses,
                   size_t skip = SIZE_MAX) const;
    void compact(SheetLayout& l, int sheet, Budget& budget);
    ItemPose arriving(int item, double band);
    bool move_onto(SheetLayout& l, int item, int sheet, Budget& budget);
    bool fewest(const SheetLayout& l) const;
    void close_up(SheetLayout& l) const;

    const ShapeProblem& p_;
    PieceLibrary lib_;  // a cache of its own: threads share none
    const std::vector<std::vector<int>>& orients_;
    const std::vector<int>& fixed_;  // per pinned part, its library id
    std::vector<double> pinned_area_;  // per sheet
    int last_pinned_ = -1;  // sheets up to this one keep their numbers
    std::mt19937_64 rng_;
    double eps_;
};

SheetSearch::SheetSearch(const ShapeProblem& p, const PieceLibrary& lib,
                         const std::vector<std::vector<int>>& orients,
                         const std::vector<int>& fixed, std::uint64_t seed)
    : p_(p), lib_(lib), orients_(orients), fixed_(fixed), rng_(seed),
      eps_(1e-9 * lib.scale)
{
    for (const ShapeFixed& f : p.fixed) {
        if (pinned_area_.size() <= size_t(f.bin))
            pinned_area_.resize(size_t(f.bin) + 1, 0);
        pinned_area_[size_t(f.bin)] += area(f.shape.rings);
        last_pinned_ = std::max(last_pinned_, f.bin);
    }
}

// The area the parts and the pins take on each sheet; a sheet is in use
// where that is above 0.
std::vector<double> SheetSearch::taken(const SheetLayout& l) const
{
    std::vector<double> out = l.used_area(p_);
    out.resize(std::max(out.size(), pinned_area_.size()), 0);
    for (size_t s = 0; s < pinned_area_.size(); ++s)
        out[s] += pinned_area_[s];
    return out;
}

// The parts left out, then those of the emptiest of two or more sheets
// in use, of those that can close (none up to the last with a pin); each
// group largest first.
std::vector<int> SheetSearch::movers(const SheetLayout& l) const
{
    std::vector<double> area = taken(l), used = l.used_area(p_);
    int emptiest = -1, sheets = 0;
    for (size_t s = 0; s < area.size(); ++s) {
        if (area[s] <= 0)
            continue;
        ++sheets;
        if (int(s) > last_pinned_ &&
            (emptiest < 0 || used[s] < used[size_t(emptiest)]))
            emptiest = int(s);
    }
    std::vector<int> out;
    std::vector<int> from = {-1};
    if (sheets >= 2 && emptiest >= 0)
        from.push_back(emptiest);
    for (int sheet : from) {
        size_t first = out.size();
        for (size_t i = 0; i < l.sheet.size(); ++i)
            if (l.sheet[i] == sheet)
                out.push_back(int(i));
        std::stable_sort(out.begin() + long(first), out.end(),
                         [this](int a, int b) {
                             return p_.items[size_t(a)].area >
                                    p_.items[size_t(b)].area;
                         });
    }
    return out;
}

// The sheets part i may move to, the one with the most room first: those
// in use but its own with room left for its area.
std::vector<int> SheetSearch::targets(const SheetLayout& l, int i) const
{
    std::vector<double> area = taken(l);
    double room = p_.width * p_.length - p_.items[size_t(i)].area;
    std::vector<int> out;
    for (size_t s = 0; s < area.size(); ++s)
        if (area[s] > 0 && int(s) != l.sheet[size_t(i)] && area[s] <= room)
            out.push_back(int(s));
    std::stable_sort(out.begin(), out.end(), [&area](int a, int b) {
        return area[size_t(a)] < area[size_t(b)];
    });
    return out;
}

std::vector<int> SheetSearch::members(const SheetLayout& l, int sheet) const
{
    std::vector<int> out;
    for (size_t i = 0; i < l.sheet.size(); ++i)
        if (l.sheet[i] == sheet)
            out.push_back(int(i));
    return out;
}

// The problem of `items` on one sheet, or on a strip as wide, where they
// stand in `l`, with the sheet's pins after them as pinned items.
ShapeProblem SheetSearch::sub_problem(const SheetLayout& l,
                                      const std::vector<int>& items,
                                      int sheet, bool strip,
                                      std::vector<std::vector<int>>& orients,
                                      std::vector<ItemPose>& poses) const
{
    ShapeProblem sub;
    sub.width = p_.width;
    sub.length = strip ? 0 : p_.length;
    sub.strip = strip;
    orients.clear();
    poses.clear();
    for (int i : items) {
        sub.items.push_back(p_.items[size_t(i)]);
        orients.push_back(orients_[size_t(i)]);
        poses.push_back({l.option[size_t(i)], l.t[size_t(i)]});
    }
    for (size_t k = 0; k < p_.fixed.size(); ++k) {
        const ShapeFixed& f = p_.fixed[k];
        if (f.bin != sheet)
            continue;
        sub.items.push_back({{f.shape}, area(f.shape.rings)});
        orients.push_back({fixed_[k]});
        poses.push_back({0, f.translation});
        ++sub.pinned_items;
    }
    return sub;
}

// Where the parts at `poses` end along the feed, but for `skip`.
double SheetSearch::far_end(const std::vector<std::vector<int>>& orients,
                            const std::vector<ItemPose>& poses,
                            size_t skip) const
{
    double far = 0;
    for (size_t k = 0; k < poses.size(); ++k) {
        if (k == skip)
            continue;
        const Orient& o = lib_.orient(orients[k][size_t(poses[k].option)]);
        far = std::max(far, poses[k].t.y + o.box.y_max);
    }
    return far;
}

// Push a sheet's parts towards its start, as a strip is shortened, with
// a share of the budget: the room left on it becomes one band across its
// far end, where a part can arrive without a crowd to move.
void SheetSearch::compact(SheetLayout& l, int sheet, Budget& budget)
{
    std::vector<int> items = members(l, sheet);
    if (items.size() < 2)
        return;
    std::vector<std::vector<int>> orients;
    std::vector<ItemPose> poses;
    ShapeProblem strip = sub_problem(l, items, sheet, true, orients, poses);
    StripLayout start;
    for (const ItemPose& pose : poses) {
        start.option.push_back(pose.option);
        start.t.push_back(pose.t);
    }
    start.length = far_end(orients, poses);
    Budget slice = budget.slice(compact_share);
    Separator separator(strip, lib_, orients, Measure::depth, rng_());
    StripLayout shorter = separator.run(start, slice);
    budget.count(slice.evaluations());
    for (size_t k = 0; k < items.size(); ++k) {
        l.option[size_t(items[k])] = shorter.option[k];
        l.t[size_t(items[k])] = shorter.t[k];
    }
}

// Where a part arriving on a sheet starts: in the band from `band` (where
// the sheet's parts and pins end) where it fits there, else anywhere on
// the sheet; in a random orientation that fits the sheet, at a random
// place across.
ItemPose SheetSearch::arriving(int item, double band)
{
    const std::vector<int>& options = orients_[size_t(item)];
    std::vector<int> fitting;
    for (size_t k = 0; k < options.size(); ++k)
        if (p_.fits_media(lib_.orient(options[k]).box, eps_))
            fitting.push_back(int(k));
    std::uniform_real_distribution<double> unit(0, 1);
    ItemPose pose;
    pose.option = fitting[size_t(unit(rng_) * double(fitting.size())) %
                          fitting.size()];
    const Box& b = lib_.orient(options[size_t(pose.option)]).box;
    pose.t.x = -b.x_min + unit(rng_) * std::max(0.0, p_.width - b.width());
    pose.t.y = band + b.height() <= p_.length
                   ? band - b.y_min
                   : -b.y_min + unit(rng_) *
                                    std::max(0.0, p_.length - b.height());
    return pose;
}

bool SheetSearch::move_onto(SheetLayout& l, int item, int sheet,
                            Budget& budget)
{
    std::vector<int> items = members(l, sheet);
    items.push_back(item);
    std::vector<std::vector<int>> orients;
    std::vector<ItemPose> poses;
    ShapeProblem on_sheet =
        sub_problem(l, items, sheet, false, orients, poses);
    // The newcomer comes after the sheet's parts, before its pins.
    size_t newcomer = items.size() - 1;
    poses[newcomer] = arriving(item, far_end(orients, poses, newcomer));
    Separator separator(on_sheet, lib_, orients, Measure::depth, rng_());
    if (!separator.settle(poses, p_.length, budget))
        return false;
    for (size_t k = 0; k < items.size(); ++k) {
        size_t i = size_t(items[k]);
        l.sheet[i] = sheet;
        l.option[i] = poses[k].option;
        l.t[i] = poses[k].t;
    }
    return true;
}

// No part left out, on as few sheets as the area (and the last pin)
// allows.
bool SheetSearch::fewest(const SheetLayout& l) const
{
    if (std::find(l.sheet.begin(), l.sheet.end(), -1) != l.sheet.end())
        return false;
    double all = 0;
    int sheets = 0;
    for (double a : taken(l)) {
        all += a;
        sheets += a > 0 ? 1 : 0;
    }
    double bound = std::max(std::ceil(all / (p_.width * p_.length) - 1e-9),
                            double(last_pinned_ + 1));
    return sheets <= bound;
}

// Sheets left empty close up, past the last with a pin.
void SheetSearch::close_up(SheetLayout& l) const
{
    std::vector<double> area = taken(l);
    std::vector<int> renumbered(area.size(), -1);
    int next = 0;
    for (size_t s = 0; s < area.size(); ++s)
        if (int(s) <= last_pinned_ || area[s] > 0)
            renumbered[s] = next++;
    for (int& s : l.sheet)
        if (s >= 0)
            s = renumbered[size_t(s)];
}

SheetLayout SheetSearch::run(SheetLayout l, Budget& budget)
{
    // Round after round, while any part had a sheet to try: a part that
    // failed may move on another try, from another pose.
    for (bool tried = true; tried && !budget.spent() && !fewest(l);) {
        tried = false;
        std::vector<int> moving = movers(l);
        // Every sheet the movers may go to first makes its room one band.
        std::vector<double> used = l.used_area(p_);
        for (size_t s = 0; s < used.size() && !budget.spent(); ++s) {
            auto from_here = [&](int i) {
                return l.sheet[size_t(i)] == int(s);
            };
            if (used[s] > 0 &&
                std::none_of(moving.begin(), moving.end(), from_here))
                compact(l, int(s), budget);
        }
        for (int i : moving) {
            for (int s : targets(l, i)) {
                if (budget.spent())
                    break;
                tried = true;
                bool ok = move_onto(l, i, s, budget);
#ifdef RIPLINE_NEST_TRACE
                std::fprintf(stderr, "sheets: part %d onto %d %s at %.2f s\n",
                             i, s, ok ? "moved" : "failed",
                             budget.elapsed_s());
#endif
                if (ok)
                    break;
            }
        }
    }
    close_up(l);
    return l;
}

// One search a thread (crew_size(threads) of them), each with a seed of
// its own (run k's whatever the count) and a copy of the budget, whose
// evaluations all count in `budget`: search(k, seed, own budget). The
// best by `better` wins, the first of equals, so a seed and an
// evaluation budget repeat; searches that do not meet (the sheets') on
// more threads never end worse than one.
template <typename Result, typename Search, typename Better>
Result best_of_runs(int threads, Budget& budget, std::uint64_t seed,
                    const Search& search, const Better& better)
{
    auto runs = static_cast<size_t>(crew_size(threads));
    std::vector<std::uint64_t> seeds;
    for (size_t k = 0; k < runs; ++k) {
        std::seed_seq seq{std::uint32_t(seed), std::uint32_t(seed >> 32),
                          std::uint32_t(k)};
        std::uint32_t words[2];
        seq.generate(words, words + 2);
        seeds.push_back((std::uint64_t(words[0]) << 32) | words[1]);
    }
    std::vector<Budget> budgets(runs, budget);
    std::vector<Result> results(runs);
    std::vector<std::exception_ptr> failures(runs);
    Crew crew(static_cast<int>(runs));
    crew.run([&](int k) {
        try {
            results[size_t(k)] =
                search(k, seeds[size_t(k)], budgets[size_t(k)]);
        } catch (...) {  // out of memory: the crew's jobs must not throw
            failures[size_t(k)] = std::current_exception();
        }
    });
    for (const std::exception_ptr& f : failures)
        if (f)
            std::rethrow_exception(f);
    size_t best = 0;
    long before = budget.evaluations();
    for (size_t k = 0; k < results.size(); ++k) {
        budget.count(budgets[k].evaluations() - before);
        if (better(results[k], results[best]))
            best = k;
    }
    return results[best];
}

}  // namespace

std::vector<double> SheetLayout::used_area(const ShapeProblem& p) const
{
    std::vector<double> used;
    for (size_t i = 0; i < sheet.size(); ++i) {
        if (sheet[i] < 0)
            continue;
        if (used.size() <= size_t(sheet[i]))
            used.resize(size_t(sheet[i]) + 1, 0);
        used[size_t(sheet[i])] += p.items[i].area;
    }
    return used;
}

double SheetLayout::spread(const ShapeProblem& p) const
{
    double unplaced = 0, least = INFINITY;
    for (size_t i = 0; i < sheet.size(); ++i)
        if (sheet[i] < 0)
            unplaced += p.items[i].area;
    int sheets = 0;
    for (double u : used_area(p)) {
        if (u <= 0)
            continue;
        ++sheets;
        least = std::min(least, u / (p.width * p.length));
    }
    return unplaced * 1e6 + sheets + (sheets > 0 ? least : 0);
}

SheetLayout empty_sheets(const ShapeProblem& problem, const PieceLibrary& lib,
                         const std::vector<std::vector<int>>& orients,
                         const std::vector<int>& fixed,
                         const SheetLayout& start, Budget& budget,
                         std::uint64_t seed)
{
    return best_of_runs<SheetLayout>(
        problem.threads, budget, seed,
        [&](int, std::uint64_t own_seed, Budget& own) {
            return SheetSearch(problem, lib, orients, fixed, own_seed)
                .run(start, own);
        },
        [&problem](const SheetLayout& a, const SheetLayout& b) {
            return a.spread(problem) < b.spread(problem);
        });
}

StripLayout shorten_strip(const ShapeProblem& problem,
                          const PieceLibrary& lib,
                          const std::vector<std::vector<int>>& orients,
                          const StripLayout& start, Budget& budget,
                          std::uint64_t seed)
{
    return shorten_strip(
        problem, lib, orients, [&start](int, Budget&) { return start; },
        budget, seed);
}

StripLayout shorten_strip(const ShapeProblem& problem,
                          const PieceLibrary& lib,
                          const std::vector<std::vector<int>>& orients,
                          const StartOf& start_of, Budget& budget,
                          std::uint64_t seed)
{
    if (problem.items.size() < 2 || !problem.strip)
        return start_of(0, budget);
    // Every second search starts measuring overlaps by the root; they
    // meet to trade strips, and the shortest wins.
    auto searches = size_t(crew_size(problem.threads));
    Meeting<Found> meeting(searches);
    return best_of_runs<StripLayout>(
        problem.threads, budget, seed,
        [&](int k, std::uint64_t own_seed, Budget& own) {
            struct Leave {  // however the search ends
                Meeting<Found>& meeting;
                size_t k;
                ~Leave() { meeting.leave(k); }
            } leave{meeting, size_t(k)};
            StripLayout start = start_of(k, own);
            Measure measure = k % 2 == 0 ? Measure::depth : Measure::root;
            PieceLibrary own_lib(lib);  // a cache of its own
            Separator search(problem, own_lib, orients, measure, own_seed);
            if (searches > 1)  // alone it has none to trade with
                search.join(meeting, size_t(k));
            return search.run(start, own);
        },
        shorter);
}

}  // namespace ripline::nest
