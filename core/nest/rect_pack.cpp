// SPDX-License-Identifier: AGPL-3.0-or-later
// Rectangle engine: skyline on a roll, max-rects on sheets, local search.
//
// A roll without pinned parts uses the scoring skyline of Wei, Oon, Zhu
// and Lim (2011): fill the lowest gap of the skyline with the item that
// fits it best, in sequence order on ties. The search fixes a length just
// under the best found, and swaps items of the sequence until everything
// fits under it again. Sheets, and rolls with pinned parts, use max-rects
// (all maximal free rectangles), first fit over the open sheets.
#include "core/nest/rect_pack.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace ripline::nest {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct Segment {
    double x, w, y;
};

// What a decoder made of one sequence.
struct Layout {
    std::vector<RectPlaced> placed;
    std::vector<int> unplaced;
    double unplaced_area = 0;
    double length = 0;
    int bins = 0;
    double cost = 0;  // lower is better; comparable within one engine
};

double item_area(const RectItem& item)
{
    return item.options.empty() ? 0 : item.options[0].w * item.options[0].h;
}

bool fits_width(const RectItem& item, double width, double eps)
{
    for (const RectOption& o : item.options)
        if (o.w <= width + eps)
            return true;
    return false;
}

// Items whose options are the same sizes in the same order are
// interchangeable: per item, its kind (0..), so that the skyline looks
// at the first of each kind still to place, not at every copy (a roll of
// 200000 labels of one size).
std::vector<int> item_kinds(const RectProblem& p)
{
    std::map<std::vector<std::pair<double, double>>, int> seen;
    std::vector<int> kinds;
    for (const RectItem& item : p.items) {
        std::vector<std::pair<double, double>> sizes;
        for (const RectOption& o : item.options)
            sizes.push_back({o.w, o.h});
        auto at = seen.emplace(std::move(sizes), int(seen.size())).first;
        kinds.push_back(at->second);
    }
    return kinds;
}

// The skyline decoder: places the sequence under `limit`. `kinds` is
// item_kinds(problem).
class Skyline {
public:
    Skyline(const RectProblem& problem, const std::vector<int>& kinds,
            double limit)
        : p_(problem), kinds_(kinds), limit_(limit),
          eps_(1e-9 * problem.width)
    {
        sky_.push_back({0, problem.width, 0});
    }

    Layout run(const std::vector<int>& left);

private:
    size_t lowest() const;
    void raise(size_t i);
    void merge();
    int score(const RectOption& o, double gap_w, double left_h,
              double right_h) const;
    bool same(double a, double b) const { return std::abs(a - b) <= eps_; }

    const RectProblem& p_;
    const std::vector<int>& kinds_;
    double limit_;
    double eps_;
    std::vector<Segment> sky_;
};

size_t Skyline::lowest() const
{
    size_t best = 0;
    for (size_t i = 1; i < sky_.size(); ++i)
        if (sky_[i].y < sky_[best].y - eps_)
            best = i;
    return best;
}

// Nothing fits the gap: lift it to its lower neighbour (waste below).
void Skyline::raise(size_t i)
{
    double left = i > 0 ? sky_[i - 1].y : inf;
    double right = i + 1 < sky_.size() ? sky_[i + 1].y : inf;
    sky_[i].y = std::min(left, right);
    merge();
}

void Skyline::merge()
{
    std::vector<Segment> out;
    for (const Segment& s : sky_) {
        if (s.w <= eps_)
            continue;
        if (!out.empty() && same(out.back().y, s.y))
            out.back().w += s.w;
        else
            out.push_back(s);
    }
    sky_ = std::move(out);
}

// How well an option fills a gap: 4 = width and both neighbours matched,
// 3 = width and one neighbour, 2 = width, 1 = the taller neighbour's
// height, 0 = it merely fits; -1 = it does not fit.
int Skyline::score(const RectOption& o, double gap_w, double left_h,
                   double right_h) const
{
    if (o.w > gap_w + eps_)
        return -1;
    if (same(o.w, gap_w)) {
        int matched = same(o.h, left_h) + same(o.h, right_h);
        return 2 + matched;
    }
    return same(o.h, std::max(left_h, right_h)) ? 1 : 0;
}

Layout Skyline::run(const std::vector<int>& left)
{
    // `heads` holds the first unplaced position in `left` of every kind,
    // in order: the only candidates, since a later copy of a kind scores
    // as its first does and the earliest wins ties. `next[k]` is the next
    // position of position k's kind (none: left.size()).
    auto kind_of = [this](int id) {
        return static_cast<size_t>(kinds_[static_cast<size_t>(id)]);
    };
    size_t none = left.size();
    std::vector<size_t> next(left.size()), heads;
    // Per kind (ids below the item count), its first position so far,
    // walking back; at the end, its first.
    std::vector<size_t> first(kinds_.size(), none);
    for (size_t k = left.size(); k-- > 0;)
        next[k] = std::exchange(first[kind_of(left[k])], k);
    for (size_t k = 0; k < left.size(); ++k)
        if (first[kind_of(left[k])] == k)
            heads.push_back(k);

    Layout out;
    std::vector<bool> placed(left.size(), false);
    while (!heads.empty()) {
        // The lowest gap, and the heights of the steps either side.
        size_t i = lowest();
        Segment gap = sky_[i];
        double left_h = i > 0 ? sky_[i - 1].y - gap.y : inf;
        double right_h = i + 1 < sky_.size() ? sky_[i + 1].y - gap.y : inf;

        // The best-scoring item for it; the earliest wins ties.
        int best_score = -1;
        size_t best_head = 0, best_option = 0;
        for (size_t k = 0; k < heads.size() && best_score < 4; ++k) {
            const RectItem& item =
                p_.items[static_cast<size_t>(left[heads[k]])];
            for (size_t o = 0; o < item.options.size(); ++o) {
                const RectOption& opt = item.options[o];
                if (gap.y + opt.h > limit_ + eps_)
                    continue;
                int s = score(opt, gap.w, left_h, right_h);
                if (s > best_score) {
                    best_score = s;
                    best_head = k;
                    best_option = o;
                }
            }
        }
        if (best_score < 0) {
            if (sky_.size() == 1)
                break;
            raise(i);
            continue;
        }

        // Lay it against the taller neighbour.
        size_t at = heads[best_head];
        int id = left[at];
        const RectOption& opt =
            p_.items[static_cast<size_t>(id)].options[best_option];
        bool at_left = left_h >= right_h;
        double x = at_left ? gap.x : gap.x + gap.w - opt.w;
        out.placed.push_back({id, static_cast<int>(best_option), 0, x, gap.y});
        out.length = std::max(out.length, gap.y + opt.h);
        Segment top{x, opt.w, gap.y + opt.h};
        Segment rest{at_left ? gap.x + opt.w : gap.x, gap.w - opt.w, gap.y};
        sky_[i] = at_left ? top : rest;
        sky_.insert(sky_.begin() + static_cast<long>(i) + 1,
                    at_left ? rest : top);
        merge();

        // The kind's next copy, if any, takes its place among the heads.
        placed[at] = true;
        heads.erase(heads.begin() + static_cast<long>(best_head));
        if (next[at] != none)
            heads.insert(
                std::upper_bound(heads.begin(), heads.end(), next[at]),
                next[at]);
    }
    for (size_t k = 0; k < left.size(); ++k) {
        if (placed[k])
            continue;
        out.unplaced.push_back(left[k]);
        out.unplaced_area += item_area(p_.items[static_cast<size_t>(left[k])]);
    }
    out.bins = 1;
    out.cost = out.unplaced_area;
    return out;
}

struct FreeRect {
    double x, y, w, h;
};

// One bin of the max-rects packer.
class MaxRects {
public:
    MaxRects(double width, double length, double eps)
        : eps_(eps), free_{{0, 0, width, length}}
    {
    }

    // Best spot for a w x h rectangle; false when none. Scores: lower
    // is better, first then second.
    bool find(double w, double h, bool bottom_left, FreeRect& at,
              double& first, double& second) const;
    void occupy(const FreeRect& used);
    double used_area = 0;

private:
    void prune();

    double eps_;
    std::vector<FreeRect> free_;
};

bool MaxRects::find(double w, double h, bool bottom_left, FreeRect& at,
                    double& first, double& second) const
{
    bool found = false;
    for (const FreeRect& f : free_) {
        if (w > f.w + eps_ || h > f.h + eps_)
            continue;

        // Bottom-left for a strip; best short side fit for sheets.
        double a = bottom_left ? f.y + h : std::min(f.w - w, f.h - h);
        double b = bottom_left ? f.x : std::max(f.w - w, f.h - h);
        if (!found || a < first - eps_ ||
            (a <= first + eps_ && b < second)) {
            found = true;
            first = a;
            second = b;
            at = {f.x, f.y, w, h};
        }
    }
    return found;
}

void MaxRects::occupy(const FreeRect& used)
{
    std::vector<FreeRect> next;
    for (const FreeRect& f : free_) {
        bool apart =
            used.x >= f.x + f.w - eps_ || used.x + used.w <= f.x + eps_ ||
            used.y >= f.y + f.h - eps_ || used.y + used.h <= f.y + eps_;
        if (apart) {
            next.push_back(f);
            continue;
        }

        // Keep the up to four maximal pieces of f around `used`.
        if (used.x > f.x + eps_)
            next.push_back({f.x, f.y, used.x - f.x, f.h});
        if (used.x + used.w < f.x + f.w - eps_)
            next.push_back({used.x + used.w, f.y,
                            f.x + f.w - used.x - used.w, f.h});
        if (used.y > f.y + eps_)
            next.push_back({f.x, f.y, f.w, used.y - f.y});
        if (used.y + used.h < f.y + f.h - eps_)
            next.push_back({f.x, used.y + used.h, f.w,
                            f.y + f.h - used.y - used.h});
    }
    free_ = std::move(next);
    prune();
}

// Drop free rectangles that lie inside another.
void MaxRects::prune()
{
    auto inside = [this](const FreeRect& a, const FreeRect& b) {
        return a.x >= b.x - eps_ && a.y >= b.y - eps_ &&
               a.x + a.w <= b.x + b.w + eps_ && a.y + a.h <= b.y + b.h + eps_;
    };
    std::vector<bool> gone(free_.size(), false);
    for (size_t i = 0; i < free_.size(); ++i) {
        for (size_t j = 0; j < free_.size() && !gone[i]; ++j) {
            if (i != j && !gone[j] && inside(free_[i], free_[j]))
                gone[i] = true;
        }
    }
    std::vector<FreeRect> kept;
    for (size_t i = 0; i < free_.size(); ++i)
        if (!gone[i])
            kept.push_back(free_[i]);
    free_ = std::move(kept);
}

// The max-rects decoder for sheets, and for strips with obstacles.
class MaxRectsDecoder {
public:
    MaxRectsDecoder(const RectProblem& problem, double strip_length)
        : p_(problem), eps_(1e-9 * problem.width),
          length_(problem.strip ? strip_length : problem.length)
    {
    }

    Layout run(const std::vector<int>& order);

private:
    MaxRects& open_bin(std::vector<MaxRects>& bins);
    bool try_bin(MaxRects& bin, int bin_index, int id, Layout& out);

    const RectProblem& p_;
    double eps_;
    double length_;
};

MaxRects& MaxRectsDecoder::open_bin(std::vector<MaxRects>& bins)
{
    bins.emplace_back(p_.width, length_, eps_);
    MaxRects& bin = bins.back();
    int index = static_cast<int>(bins.size()) - 1;
    for (const RectFixed& f : p_.fixed)
        if (f.bin == index)
            bin.occupy({f.x, f.y, f.w, f.h});
    return bin;
}

bool MaxRectsDecoder::try_bin(MaxRects& bin, int bin_index, int id,
                              Layout& out)
{
    const RectItem& item = p_.items[static_cast<size_t>(id)];
    bool found = false;
    double first = inf, second = inf;
    FreeRect best{};
    int best_option = 0;
    for (size_t o = 0; o < item.options.size(); ++o) {
        FreeRect at{};
        double a = inf, b = inf;
        if (!bin.find(item.options[o].w, item.options[o].h, p_.strip, at, a,
                      b))
            continue;
        if (!found || a < first - eps_ || (a <= first + eps_ && b < second)) {
            found = true;
            first = a;
            second = b;
            best = at;
            best_option = static_cast<int>(o);
        }
    }
    if (!found)
        return false;
    bin.occupy(best);
    bin.used_area += best.w * best.h;
    out.placed.push_back({id, best_option, bin_index, best.x, best.y});
    out.length = std::max(out.length, best.y + best.h);
    return true;
}

Layout MaxRectsDecoder::run(const std::vector<int>& order)
{
    Layout out;
    std::vector<MaxRects> bins;
    int fixed_bins = 0;
    for (const RectFixed& f : p_.fixed)
        fixed_bins = std::max(fixed_bins, f.bin + 1);
    for (int b = 0; b < std::max(fixed_bins, 1); ++b)
        open_bin(bins);

    for (int id : order) {
        bool placed = false;
        for (size_t b = 0; b < bins.size() && !placed; ++b)
            placed = try_bin(bins[b], static_cast<int>(b), id, out);
        bool may_open = !p_.strip && (p_.max_bins == 0 ||
                                      static_cast<int>(bins.size()) <
                                          p_.max_bins);
        if (!placed && may_open) {
            MaxRects& fresh = open_bin(bins);
            placed = try_bin(fresh, static_cast<int>(bins.size()) - 1, id,
                             out);
        }
        if (!placed) {
            out.unplaced.push_back(id);
            out.unplaced_area += item_area(p_.items[static_cast<size_t>(id)]);
        }
    }

    // Cost: unplaced area first, then bins (sheets) or length (strip);
    // a nearly empty last sheet is closer to one sheet less.
    out.bins = 0;
    double min_fill = 1;
    for (size_t b = 0; b < bins.size(); ++b) {
        if (bins[b].used_area <= 0 && static_cast<int>(b) >= fixed_bins)
            continue;
        ++out.bins;
        min_fill = std::min(min_fill,
                            bins[b].used_area / (p_.width * length_));
    }
    double spread = p_.strip ? out.length : out.bins + min_fill;
    out.cost = out.unplaced_area * 1e6 + spread;
    return out;
}

// The orders the search starts from: by area, longer side, width,
// height, perimeter; all decreasing.
std::vector<std::vector<int>> starting_orders(const RectProblem& p)
{
    auto key_of = [&](int kind, const RectOption& o) {
        switch (kind) {
        case 0: return o.w * o.h;
        case 1: return std::max(o.w, o.h);
        case 2: return o.w;
        case 3: return o.h;
        default: return o.w + o.h;
        }
    };
    std::vector<std::vector<int>> orders;
    for (int kind = 0; kind < 5; ++kind) {
        std::vector<int> order(p.items.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = static_cast<int>(i);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            return key_of(kind, p.items[static_cast<size_t>(a)].options[0]) >
                   key_of(kind, p.items[static_cast<size_t>(b)].options[0]);
        });
        orders.push_back(std::move(order));
    }
    return orders;
}

double strip_lower_bound(const RectProblem& p)
{
    double area = 0, tallest = 0;
    for (const RectItem& item : p.items) {
        area += item_area(item);
        double shortest = inf;
        for (const RectOption& o : item.options)
            if (o.w <= p.width * (1 + 1e-9))
                shortest = std::min(shortest, o.h);
        if (shortest < inf)
            tallest = std::max(tallest, shortest);
    }
    return std::max(area / p.width, tallest);
}

RectSolution to_solution(const Layout& layout, long evaluations,
                         const char* engine)
{
    RectSolution s;
    s.placed = layout.placed;
    s.unplaced = layout.unplaced;
    s.length = layout.length;
    s.bins = layout.bins;
    s.evaluations = evaluations;
    s.engine = engine;
    return s;
}

// Roll without obstacles: the skyline under a shrinking length.
RectSolution skyline_search(const RectProblem& p, std::vector<int> fitting,
                            Budget& budget, std::mt19937_64& rng)
{
    double bound = strip_lower_bound(p);
    double eps = 1e-9 * std::max(bound, p.width);
    std::vector<int> kinds = item_kinds(p);
    std::vector<bool> fits(p.items.size(), false);
    for (int id : fitting)
        fits[static_cast<size_t>(id)] = true;
    Sequence current;
    Layout best;
    best.length = inf;
    for (auto& order : starting_orders(p)) {
        std::vector<int> kept;
        for (int id : order)
            if (fits[static_cast<size_t>(id)])
                kept.push_back(id);
        Layout l = Skyline(p, kinds, inf).run(kept);
        budget.count();
        if (l.length < best.length) {
            best = l;
            current.order = kept;
        }
        if (budget.out_of_time())
            break;  // a layout to return: the first order's at least
    }
    current.choice.assign(p.items.size(), -1);
    std::vector<int> choices(p.items.size(), 1);

    // Ask for a little less than the best, until out of time.
    auto done = [&] {
        return budget.spent() || best.length <= bound + eps ||
               (p.target_length > 0 && best.length <= p.target_length);
    };
    while (!done()) {
        double limit = best.length - std::max(eps, 1e-4 * best.length);
        Layout cur = Skyline(p, kinds, limit).run(current.order);
        budget.count();
        while (cur.cost > 0 && !budget.spent()) {
            Sequence next = current;
            mutate(next, choices, rng);
            Layout l = Skyline(p, kinds, limit).run(next.order);
            budget.count();
            if (l.cost <= cur.cost) {
                current = std::move(next);
                cur = std::move(l);
            }
        }
        if (cur.cost <= 0)
            best = cur;
    }
    return to_solution(best, budget.evaluations(), "skyline");
}

// Sheets, or a roll with pinned parts: max-rects and first improvement.
RectSolution maxrects_search(const RectProblem& p, Budget& budget,
                             std::mt19937_64& rng)
{
    double strip_length = 0;
    for (const RectItem& item : p.items) {
        double longest = 0;
        for (const RectOption& o : item.options)
            longest = std::max(longest, std::max(o.w, o.h));
        strip_length += longest;
    }
    for (const RectFixed& f : p.fixed)
        strip_length = std::max(strip_length, f.y + f.h) + 0;
    MaxRectsDecoder decoder(p, strip_length * 2 + 1);

    Sequence current;
    Layout best;
    best.cost = inf;
    for (auto& order : starting_orders(p)) {
        Layout l = decoder.run(order);
        budget.count();
        if (l.cost < best.cost) {
            best = l;
            current.order = order;
        }
    }
    current.choice.assign(p.items.size(), -1);
    std::vector<int> choices(p.items.size(), 1);
    double area = 0;
    for (const RectItem& item : p.items)
        area += item_area(item);
    double bound = p.strip ? strip_lower_bound(p)
                           : std::ceil(area / (p.width * p.length) - 1e-9);

    auto done = [&] {
        double reached = p.strip ? best.length : best.bins;
        bool complete = best.unplaced.empty();
        return budget.spent() ||
               (complete && reached <= bound * (1 + 1e-9)) ||
               (complete && p.strip && p.target_length > 0 &&
                best.length <= p.target_length);
    };
    while (!done() && p.items.size() > 1) {
        Sequence next = current;
        mutate(next, choices, rng);
        Layout l = decoder.run(next.order);
        budget.count();
        if (l.cost <= best.cost) {
            best = std::move(l);
            current = std::move(next);
        }
    }
    return to_solution(best, budget.evaluations(), "maxrects");
}

}  // namespace

RectSolution pack_rects(const RectProblem& problem, Budget& budget,
                        std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    if (!problem.strip || !problem.fixed.empty())
        return maxrects_search(problem, budget, rng);

    // Items wider than the roll in every orientation cannot be placed.
    std::vector<int> fitting, too_wide;
    double eps = 1e-9 * problem.width;
    for (size_t i = 0; i < problem.items.size(); ++i) {
        bool fits = fits_width(problem.items[i], problem.width, eps);
        (fits ? fitting : too_wide).push_back(static_cast<int>(i));
    }
    RectSolution s = skyline_search(problem, fitting, budget, rng);
    s.unplaced.insert(s.unplaced.end(), too_wide.begin(), too_wide.end());
    return s;
}

}  // namespace ripline::nest
