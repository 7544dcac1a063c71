// SPDX-License-Identifier: AGPL-3.0-or-later
// Strip shortening by overlap minimisation with guided local search.
//
// The idea follows the overlap-minimisation line of strip packing
// (Egeblad, Nielsen and Odgaard 2007; Umetani et al. 2009; Gardeyn and
// Wauters' sparrow): fix the strip length, allow overlaps, and minimise
// their sum. Two parts overlap by the sum, over their pairs of convex
// pieces, of how deep the one's translation lies in the pair's no-fit
// polygon: the shortest move that separates the two pieces, 0 exactly
// when they only touch. Each pair carries a weight; a part moves to the
// best of random positions (over the strip and near where it stands, in
// every allowed orientation), refined by coordinate descent, judged by
// its weighted overlap. When a pass ends with overlaps left, the weights
// of the pairs still overlapping grow (guided local search), so the
// search leaves the local minimum it sits in. A strip whose overlaps all
// vanish is feasible and becomes the best; the next attempt starts from
// it, a step shorter.
#include "core/nest/separate.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#ifdef RIPLINE_NEST_TRACE
#include <cstdio>
#endif

namespace ripline::nest {

namespace {

// Search settings; the figures come from runs on the ESICUP instances.
constexpr int global_samples = 48;   // random positions over the strip
constexpr int local_samples = 24;    // random positions near the part
constexpr double local_reach = 0.5;  // of the part's box, each way
constexpr int patience = 200;        // passes without a better total
constexpr int strikes = 3;           // restarts from the best of a try
constexpr double first_step = 0.005; // first shrink, of the length
constexpr double least_step = 0.001;
constexpr int retries = 2;  // disrupted retries at one length
constexpr double shallow_share = 0.01;  // of the mean part size
constexpr double weight_low = 1.2, weight_high = 2.0, weight_decay = 0.95;

struct ItemPose {
    int option = 0;
    Point t;
};

Box shifted(const Box& b, Point t)
{
    return {b.x_min + t.x, b.y_min + t.y, b.x_max + t.x, b.y_max + t.y};
}

bool boxes_meet(const Box& a, const Box& b)
{
    return a.x_min < b.x_max && b.x_min < a.x_max && a.y_min < b.y_max &&
           b.y_min < a.y_max;
}

class Separator {
public:
    Separator(const ShapeProblem& p, PieceLibrary& lib,
              const std::vector<std::vector<int>>& orients,
              std::uint64_t seed);

    StripLayout run(const StripLayout& start, Budget& budget);

private:
    const Orient& orient(int item, int option) const
    {
        return lib_.orient(orients_[size_t(item)][size_t(option)]);
    }
    double& overlap(size_t i, size_t j) { return overlap_[i * n_ + j]; }
    double& weight(size_t i, size_t j) { return weight_[i * n_ + j]; }

    double shallow_floor(double depth) const;
    // An item at a pose with its boxes in strip coordinates.
    struct Placed {
        int item = 0;
        ItemPose pose;
        const std::vector<int>* pieces = nullptr;
        Box box;
        std::vector<Box> piece_boxes;
    };
    void place(Placed& out, int i, const ItemPose& pose) const;
    double pair_overlap(const Placed& m, int j);
    void refresh_all();
    double cost(int i, const ItemPose& pose, double bound);
    Point clamp(int i, const ItemPose& pose) const;
    ItemPose random_pose(int i);
    ItemPose near_pose(int i);
    ItemPose descend(int i, ItemPose pose, double& best);
    void move(int i);
    void refresh(int i);
    double total() const;
    double item_overlap(size_t i) const;
    void raise_weights();
    bool separate(Budget& budget);
    void load(const StripLayout& l);
    StripLayout snapshot() const;
    void shrink(double length, double cut);
    void disrupt();

    const ShapeProblem& p_;
    PieceLibrary& lib_;
    const std::vector<std::vector<int>>& orients_;
    size_t n_;
    std::mt19937_64 rng_;
    std::uniform_real_distribution<double> unit_{0, 1};
    double eps_;  // depths below this are rounding, not overlap
    double shallow_;  // overlaps shallower than this count as more
    std::vector<double> scale_;  // per item: root of its area, relative
    double length_ = 0;
    std::vector<ItemPose> pose_;
    std::vector<double> overlap_, weight_;
    std::vector<Placed> placed_;  // per item, where it stands
    Placed moving_;               // scratch for cost()
};

Separator::Separator(const ShapeProblem& p, PieceLibrary& lib,
                     const std::vector<std::vector<int>>& orients,
                     std::uint64_t seed)
    : p_(p), lib_(lib), orients_(orients), n_(p.items.size()), rng_(seed),
      eps_(1e-9 * lib.scale), overlap_(n_ * n_, 0), weight_(n_ * n_, 1)
{
    // Overlaps of large parts weigh more: the square roots of the two
    // areas scale each pair, relative to the mean part.
    double mean_area = 0, mean_size = 0;
    for (size_t i = 0; i < n_; ++i) {
        mean_area += p.items[i].area / double(n_);
        const Box& b = orient(int(i), 0).box;
        mean_size += std::max(b.width(), b.height()) / double(n_);
    }
    for (size_t i = 0; i < n_; ++i)
        scale_.push_back(std::sqrt(p.items[i].area / mean_area));
    shallow_ = shallow_share * mean_size;
}

// A shallow overlap is not much cheaper than one of depth `shallow_`:
// it costs at least half of that, so the search does not settle into
// many slight overlaps it can never quite remove.
double Separator::shallow_floor(double depth) const
{
    if (depth >= shallow_)
        return depth;
    return shallow_ * shallow_ / (2 * shallow_ - depth);
}

void Separator::place(Placed& out, int i, const ItemPose& pose) const
{
    const Orient& o = orient(i, pose.option);
    out.item = i;
    out.pose = pose;
    out.pieces = &o.pieces;
    out.box = shifted(o.box, pose.t);
    out.piece_boxes.clear();
    for (int piece : o.pieces)
        out.piece_boxes.push_back(shifted(lib_.piece(piece).box, pose.t));
}

// Item m.item at its pose against item j where it stands.
double Separator::pair_overlap(const Placed& m, int j)
{
    const Placed& other = placed_[size_t(j)];
    if (!boxes_meet(m.box, other.box))
        return 0;
    Point d = m.pose.t - other.pose.t;
    double sum = 0;
    const std::vector<int>& a = *other.pieces;
    const std::vector<int>& b = *m.pieces;
    for (size_t ka = 0; ka < a.size(); ++ka) {
        const Box& box_a = other.piece_boxes[ka];
        if (!boxes_meet(box_a, m.box))
            continue;
        for (size_t kb = 0; kb < b.size(); ++kb) {
            if (!boxes_meet(box_a, m.piece_boxes[kb]))
                continue;
            double depth = penetration(lib_.nfp(a[ka], b[kb]), d);
            if (depth > eps_)
                sum += shallow_floor(depth);
        }
    }
    return sum * scale_[size_t(m.item)] * scale_[size_t(j)];
}

// Weighted overlap of item i at `pose`; stops counting past `bound`.
#ifdef RIPLINE_NEST_TRACE
long trace_costs = 0;
#endif
double Separator::cost(int i, const ItemPose& pose, double bound)
{
#ifdef RIPLINE_NEST_TRACE
    ++trace_costs;
#endif
    place(moving_, i, pose);
    double sum = 0;
    for (size_t j = 0; j < n_ && sum < bound; ++j)
        if (j != size_t(i))
            sum += weight(size_t(i), j) * pair_overlap(moving_, int(j));
    return sum;
}

// The nearest translation that keeps the part inside the strip.
Point Separator::clamp(int i, const ItemPose& pose) const
{
    const Box& b = orient(i, pose.option).box;
    double x_hi = std::max(-b.x_min, p_.width - b.x_max);
    double y_hi = std::max(-b.y_min, length_ - b.y_max);
    return {std::clamp(pose.t.x, -b.x_min, x_hi),
            std::clamp(pose.t.y, -b.y_min, y_hi)};
}

ItemPose Separator::random_pose(int i)
{
    size_t options = orients_[size_t(i)].size();
    ItemPose pose;
    pose.option = int(std::min(options - 1, size_t(unit_(rng_) * options)));
    const Box& b = orient(i, pose.option).box;
    double x_span = std::max(0.0, p_.width - b.width());
    double y_span = std::max(0.0, length_ - b.height());
    pose.t = {-b.x_min + unit_(rng_) * x_span,
              -b.y_min + unit_(rng_) * y_span};
    return pose;
}

ItemPose Separator::near_pose(int i)
{
    ItemPose pose = pose_[size_t(i)];
    const Box& b = orient(i, pose.option).box;
    pose.t.x += (2 * unit_(rng_) - 1) * local_reach * b.width();
    pose.t.y += (2 * unit_(rng_) - 1) * local_reach * b.height();
    pose.t = clamp(i, pose);
    return pose;
}

// Coordinate descent: steps along x and y that shrink on failure.
ItemPose Separator::descend(int i, ItemPose pose, double& best)
{
    const Box& b = orient(i, pose.option).box;
    double size = std::max(b.width(), b.height());
    double step = 0.1 * size, least = 1e-4 * size;
    const Point dirs[] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    while (step > least && best > 0) {
        bool moved = false;
        for (Point d : dirs) {
            ItemPose next = pose;
            next.t = {pose.t.x + d.x * step, pose.t.y + d.y * step};
            next.t = clamp(i, next);
            double c = cost(i, next, best);
            if (c < best) {
                best = c;
                pose = next;
                moved = true;
                break;
            }
        }
        step *= moved ? 1.5 : 0.5;
        step = std::min(step, 0.25 * size);
    }
    return pose;
}

// Move item i to the least weighted overlap found.
void Separator::move(int i)
{
    ItemPose best_pose = pose_[size_t(i)];
    double best = cost(i, best_pose, INFINITY);
    for (int k = 0; k < global_samples + local_samples && best > 0; ++k) {
        ItemPose pose = k < global_samples ? random_pose(i) : near_pose(i);
        double c = cost(i, pose, best);
        if (c < best) {
            best = c;
            best_pose = pose;
        }
    }
    best_pose = descend(i, best_pose, best);
    pose_[size_t(i)] = best_pose;
    refresh(i);
}

void Separator::refresh(int i)
{
    place(placed_[size_t(i)], i, pose_[size_t(i)]);
    for (size_t j = 0; j < n_; ++j) {
        if (j == size_t(i))
            continue;
        double o = pair_overlap(placed_[size_t(i)], int(j));
        overlap(size_t(i), j) = o;
        overlap(j, size_t(i)) = o;
    }
}

void Separator::refresh_all()
{
    placed_.resize(n_);
    for (size_t i = 0; i < n_; ++i)
        place(placed_[i], int(i), pose_[i]);
    for (size_t i = 0; i < n_; ++i)
        refresh(int(i));
}

double Separator::total() const
{
    double sum = 0;
    for (double o : overlap_)
        sum += o;
    return sum / 2;
}

double Separator::item_overlap(size_t i) const
{
    double sum = 0;
    for (size_t j = 0; j < n_; ++j)
        sum += overlap_[i * n_ + j];
    return sum;
}

// Pairs that still overlap weigh more, the deeper the more; the others
// drift back towards 1.
void Separator::raise_weights()
{
    double deepest = 0;
    for (double o : overlap_)
        deepest = std::max(deepest, o);
    for (size_t i = 0; i < n_; ++i) {
        for (size_t j = i + 1; j < n_; ++j) {
            double o = overlap(i, j), w = weight(i, j);
            w = o > 0 ? w * (weight_low +
                             (weight_high - weight_low) * o / deepest)
                      : std::max(1.0, w * weight_decay);
            weight(i, j) = w;
            weight(j, i) = w;
        }
    }
}

// Try to remove every overlap at the current length.
bool Separator::separate(Budget& budget)
{
    std::fill(weight_.begin(), weight_.end(), 1.0);
    refresh_all();
    std::vector<ItemPose> kept = pose_;
    double kept_total = total();
    std::vector<int> order;
    for (int strike = 0; strike < strikes; ++strike) {
        for (int idle = 0; idle < patience;) {
            order.clear();
            for (size_t i = 0; i < n_; ++i)
                if (item_overlap(i) > 0)
                    order.push_back(int(i));
            if (order.empty())
                return true;
            std::shuffle(order.begin(), order.end(), rng_);
            for (int i : order) {
                if (budget.spent())
                    return false;
                if (item_overlap(size_t(i)) > 0)
                    move(i);
                budget.count();
            }
            double now = total();
            if (now <= 0)
                return true;
            if (now < kept_total) {
                kept_total = now;
                kept = pose_;
                idle = 0;
            } else {
                ++idle;
            }
            raise_weights();
        }
        pose_ = kept;
        refresh_all();
    }
    return false;
}

void Separator::load(const StripLayout& l)
{
    pose_.resize(n_);
    for (size_t i = 0; i < n_; ++i)
        pose_[i] = {l.option[i], l.t[i]};
    length_ = l.length;
}

StripLayout Separator::snapshot() const
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

// Cut the strip at `cut` and close the gap: parts beyond the cut move
// back by the difference, then every part is pulled inside.
void Separator::shrink(double length, double cut)
{
    double by = length_ - length;
    length_ = length;
    for (size_t i = 0; i < n_; ++i) {
        ItemPose& pose = pose_[i];
        const Box& b = orient(int(i), pose.option).box;
        if (pose.t.y + (b.y_min + b.y_max) / 2 > cut)
            pose.t.y -= by;
        pose.t = clamp(int(i), pose);
    }
}

// Swap two of the larger parts that differ in shape, centre for centre,
// so a retry does not fall back into the same arrangement.
void Separator::disrupt()
{
    std::vector<double> areas;
    for (const ShapeItem& item : p_.items)
        areas.push_back(item.area);
    std::vector<double> sorted = areas;
    std::nth_element(sorted.begin(), sorted.begin() + long(n_ / 2),
                     sorted.end());
    double median = sorted[n_ / 2];
    std::vector<int> large;
    for (size_t i = 0; i < n_; ++i)
        if (areas[i] >= median)
            large.push_back(int(i));
    for (int tries = 0; tries < 16 && large.size() >= 2; ++tries) {
        int i = large[size_t(unit_(rng_) * double(large.size())) %
                      large.size()];
        int j = large[size_t(unit_(rng_) * double(large.size())) %
                      large.size()];
        if (std::abs(areas[size_t(i)] - areas[size_t(j)]) <=
            1e-3 * areas[size_t(i)])
            continue;
        auto centre = [&](int k) {
            const Box& b = orient(k, pose_[size_t(k)].option).box;
            return Point{(b.x_min + b.x_max) / 2, (b.y_min + b.y_max) / 2};
        };
        Point ci = pose_[size_t(i)].t + centre(i);
        Point cj = pose_[size_t(j)].t + centre(j);
        pose_[size_t(i)].t = cj - centre(i);
        pose_[size_t(j)].t = ci - centre(j);
        pose_[size_t(i)].t = clamp(i, pose_[size_t(i)]);
        pose_[size_t(j)].t = clamp(j, pose_[size_t(j)]);
        return;
    }
}

StripLayout Separator::run(const StripLayout& start, Budget& budget)
{
    load(start);
    StripLayout best = snapshot();
    double area = 0, tallest = 0;
    for (size_t i = 0; i < n_; ++i) {
        area += p_.items[i].area;
        double least_height = INFINITY;
        for (size_t o = 0; o < orients_[i].size(); ++o)
            least_height = std::min(least_height,
                                    orient(int(i), int(o)).box.height());
        tallest = std::max(tallest, least_height);
    }
    double floor = std::max(area / p_.width, tallest);
    double step = first_step;
    int failures = 0;
    while (!budget.spent() && best.length > floor * (1 + 1e-9) &&
           !(p_.target_length > 0 && best.length <= p_.target_length)) {
        // A new attempt cuts the best strip shorter; a retry shakes up
        // the least overlapping state of the failed one.
        if (failures == 0) {
            load(best);
            shrink(std::max(floor, best.length * (1 - step)),
                   unit_(rng_) * best.length);
        } else {
            disrupt();
        }
#ifdef RIPLINE_NEST_TRACE
        const double length = length_;
#endif
        bool ok = separate(budget);
#ifdef RIPLINE_NEST_TRACE
        std::fprintf(stderr, "separate: length %g %s at %.2f s, %ld costs\n",
                     length, ok ? "feasible" : "not feasible",
                     budget.elapsed_s(), trace_costs);
#endif
        if (ok) {
            best = snapshot();
            failures = 0;
        } else if (++failures > retries) {
            failures = 0;
            step = std::max(least_step, step / 2);
        }
    }
    return best;
}

}  // namespace

StripLayout shorten_strip(const ShapeProblem& problem, PieceLibrary& lib,
                          const std::vector<std::vector<int>>& orients,
                          const StripLayout& start, Budget& budget,
                          std::uint64_t seed)
{
    if (problem.items.size() < 2 || !problem.strip)
        return start;
    Separator s(problem, lib, orients, seed);
    return s.run(start, budget);
}

}  // namespace ripline::nest
