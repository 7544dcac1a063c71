// SPDX-License-Identifier: AGPL-3.0-or-later
// True-shape engine: bottom-left placement on no-fit sets, local search.
//
// Every nest contour is cut into convex pieces. The no-fit polygon of two
// convex pieces is convex (their Minkowski difference) and is cached per
// pair of pieces. A part may go at translation t exactly when t lies in
// no no-fit polygon of its pieces against the placed pieces, and inside
// the inner-fit box of the media. On a vertical line x = const those
// polygons cut open intervals, so the lowest feasible t on the line comes
// from one sorted sweep. The placer scans evenly spaced lines, refines
// the best by pattern search, and keeps the orientation that leaves the
// shortest far edge. A simulated-annealing search over the sequence and
// the orientations re-decodes from the first changed position only.
#include "core/nest/shape_pack.hpp"

#include "core/nest/nfp_cache.hpp"
#include "core/nest/separate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>

namespace ripline::nest {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct PlacedPiece {
    int piece;
    Point t;
};

struct Bin {
    std::vector<PlacedPiece> pieces;
    double used_area = 0;
};

// One decoded step of the sequence.
struct Step {
    int item = 0;
    int orient = -1;  // library id; -1 = not placed
    int option = 0;
    int bin = 0;
    Point t;
    double far = 0;  // far edge along the feed
};

struct Layout {
    std::vector<Step> steps;
    double length = 0;
    int bins = 0;
    double unplaced_area = 0;
    double primary = inf;  // what the user wants small
    double cost = inf;     // what the search follows
};

struct Candidate {
    Point t;
    double score = inf;
};

// A line's view of one no-fit polygon, translated by its placed piece.
struct Active {
    const Nfp* nfp;
    Point t;
    double x_min, x_max;
};

// Whether a sequence lets an item take option o of `options`: the one it
// chose, or any where it chose none (-1, or "the best of them").
bool allowed(int choice, size_t o, size_t options)
{
    return choice < 0 || choice >= int(options) || int(o) == choice;
}

class Decoder {
public:
    Decoder(const ShapeProblem& p, PieceLibrary& lib,
            const std::vector<std::vector<int>>& orients,
            const std::vector<int>& fixed);

    Layout run(const Sequence& seq, const Layout* reuse, size_t from);

    // Place parts by their convex hulls: one piece a part, so parts cut
    // into many pieces decode many times faster, kept apart by more than
    // they need (the overlap search that follows closes the gaps).
    void use_hulls() { hulls_ = true; }

    // Once `budget`'s time is out, lay the parts left in rows of their
    // boxes above everything placed instead of searching for their
    // places: one layout of gardeyn7's 160 parts takes seconds, and a
    // nest must end near its time limit.
    void rush_when_out_of_time(const Budget& budget) { rush_ = &budget; }

private:
    // The pieces the decoder places the orientation by.
    std::span<const int> pieces_of(const Orient& o) const;
    std::optional<Candidate> place(const Bin& bin, int orient);
    double drop(double x, double y_lo, const std::vector<int>* near);
    template <typename Score, typename Consider>
    void refine_at_vertices(const Orient& o, double x_lo, double x_hi,
                            double gap, Score& score_at, Consider& consider);
    std::vector<Bin> fresh_bins() const;
    void add(Bin& bin, int orient, Point t, double area);
    void lay_in_rows(Layout& out, std::vector<Bin>& bins, const Sequence& seq,
                     size_t k);
    void finish(Layout& out, const std::vector<Bin>& bins) const;

    const ShapeProblem& p_;
    PieceLibrary& lib_;
    const std::vector<std::vector<int>>& orients_;
    const std::vector<int>& fixed_;
    double eps_;
    double item_area_ = 0;
    int lines_;
    double near_weight_ = 0.25;
    bool hulls_ = false;
    const Budget* rush_ = nullptr;
    std::vector<Active> active_;
    std::vector<std::vector<int>> buckets_;  // per line: active indices
    std::vector<double> line_y_;             // per line: lowest y
    std::vector<std::pair<double, double>> near_x_;
    std::vector<std::pair<double, double>> spans_;
};

Decoder::Decoder(const ShapeProblem& p, PieceLibrary& lib,
                 const std::vector<std::vector<int>>& orients,
                 const std::vector<int>& fixed)
    : p_(p), lib_(lib), orients_(orients), fixed_(fixed),
      eps_(1e-9 * lib.scale)
{
    // Lines about a sixth of the narrowest part apart.
    double narrow = inf;
    for (const auto& list : orients)
        for (int o : list)
            narrow = std::min(narrow, lib.orient(o).box.width());
    double step = std::max(narrow / 6, p.width / 160);
    lines_ = std::clamp(static_cast<int>(p.width / step), 48, 160);
}

std::span<const int> Decoder::pieces_of(const Orient& o) const
{
    if (!hulls_ || o.hull < 0)
        return o.pieces;
    return {&o.hull, 1};
}

// Lowest feasible y on the line x, or inf.
double Decoder::drop(double x, double y_lo, const std::vector<int>* near)
{
    spans_.clear();
    size_t count = near ? near->size() : active_.size();
    for (size_t k = 0; k < count; ++k) {
        const Active& a = active_[near ? size_t((*near)[k]) : k];
        if (x <= a.x_min || x >= a.x_max)
            continue;
        double lo, hi;
        if (!vertical_span(*a.nfp, x - a.t.x, lo, hi))
            continue;
        if (hi + a.t.y > y_lo)
            spans_.push_back({lo + a.t.y, hi + a.t.y});
    }
    std::sort(spans_.begin(), spans_.end());

    // Open intervals: a point on an interval's end is a touch, allowed.
    double y = y_lo;
    for (const auto& [lo, hi] : spans_) {
        if (lo >= y - eps_)
            break;
        y = std::max(y, hi + eps_);
    }
    return y;
}

// The three lowest lines; on each, the x of every no-fit vertex close to
// the line's resting point, where the part touches two others exactly.
template <typename Score, typename Consider>
void Decoder::refine_at_vertices(const Orient& o, double x_lo, double x_hi,
                                 double gap, Score& score_at,
                                 Consider& consider)
{
    std::vector<int> order(line_y_.size());
    for (size_t j = 0; j < order.size(); ++j)
        order[j] = int(j);
    size_t keep = std::min<size_t>(3, order.size());
    std::partial_sort(order.begin(), order.begin() + long(keep), order.end(),
                      [&](int a, int b) {
                          return line_y_[size_t(a)] < line_y_[size_t(b)];
                      });
    double radius = std::max(3 * gap, 0.2 * o.box.height());
    for (size_t k = 0; k < keep; ++k) {
        size_t j = size_t(order[k]);
        double line_x = x_lo + double(j) * gap, line_y = line_y_[j];
        if (line_y == inf)
            continue;
        near_x_.clear();
        for (int a_index : buckets_[j]) {
            const Active& a = active_[size_t(a_index)];
            for (Point v : a.nfp->ring) {
                double x = v.x + a.t.x, dy = std::abs(v.y + a.t.y - line_y);
                if (std::abs(x - line_x) < gap && dy <= radius &&
                    x >= x_lo && x <= x_hi)
                    near_x_.push_back({dy, x});
            }
        }
        size_t take = std::min<size_t>(48, near_x_.size());
        std::partial_sort(near_x_.begin(), near_x_.begin() + long(take),
                          near_x_.end());
        for (size_t i = 0; i < take; ++i)
            consider(near_x_[i].second,
                     score_at(near_x_[i].second, &buckets_[j]));
    }
}

std::optional<Candidate> Decoder::place(const Bin& bin, int orient)
{
    const Orient& o = lib_.orient(orient);
    double x_lo = -o.box.x_min, x_hi = p_.width - o.box.x_max;
    double y_lo = -o.box.y_min;
    double y_hi = p_.strip ? inf : p_.length - o.box.y_max;
    if (!p_.fits_across(o.box, eps_) || y_hi < y_lo - eps_)
        return std::nullopt;
    x_hi = std::max(x_hi, x_lo);

    // The no-fit polygons of this orientation against the placed pieces.
    active_.clear();
    std::span<const int> moving_pieces = pieces_of(o);
    for (const PlacedPiece& pp : bin.pieces) {
        for (int moving : moving_pieces) {
            const Nfp& n = lib_.nfp(pp.piece, moving);
            active_.push_back({&n, pp.t, n.box.x_min + pp.t.x,
                               n.box.x_max + pp.t.x});
        }
    }

    // Sort the no-fit sets into the evenly spaced lines they cross.
    int lines = x_hi - x_lo > eps_ ? lines_ : 0;
    double gap = lines > 0 ? (x_hi - x_lo) / lines : 0;
    if (buckets_.size() < size_t(lines) + 1)
        buckets_.resize(size_t(lines) + 1);
    for (int j = 0; j <= lines; ++j)
        buckets_[size_t(j)].clear();
    for (size_t k = 0; k < active_.size(); ++k) {
        const Active& a = active_[k];
        int j0 = lines > 0 ? int(std::floor((a.x_min - x_lo) / gap)) : 0;
        int j1 = lines > 0 ? int(std::ceil((a.x_max - x_lo) / gap)) : 0;
        for (int j = std::max(j0, 0); j <= std::min(j1, lines); ++j)
            buckets_[size_t(j)].push_back(int(k));
    }

    // Scan the lines, then look at no-fit vertices near the best lines,
    // where parts touch exactly, and refine by pattern search.
    auto score_at = [&](double x, const std::vector<int>* near) {
        double y = drop(x, y_lo, near);
        return y <= y_hi + eps_ ? y : inf;
    };
    double best_x = x_lo, best_y = inf;
    auto consider = [&](double x, double y) {
        if (y < best_y - eps_ || (y < best_y + eps_ && x < best_x)) {
            best_y = y;
            best_x = x;
        }
    };
    line_y_.assign(size_t(lines) + 1, inf);
    for (int j = 0; j <= lines; ++j) {
        double x = j == lines ? x_hi : x_lo + j * gap;
        line_y_[size_t(j)] = score_at(x, &buckets_[size_t(j)]);
        consider(x, line_y_[size_t(j)]);
    }
    if (lines > 0)
        refine_at_vertices(o, x_lo, x_hi, gap, score_at, consider);
    for (double step = gap / 4; step > gap / 256 && lines > 0; step /= 2) {
        double from = best_x;
        for (double x : {from - step, from + step})
            if (x >= x_lo && x <= x_hi)
                consider(x, score_at(x, nullptr));
    }
    if (best_y == inf)
        return std::nullopt;

    // Far edge first; a quarter of the near edge breaks near-ties
    // between orientations towards the one that fills lower gaps.
    double far = best_y + o.box.y_max, near = best_y + o.box.y_min;
    return Candidate{{best_x, best_y}, far + near_weight_ * near};
}

std::vector<Bin> Decoder::fresh_bins() const
{
    std::vector<Bin> bins(1);
    for (size_t k = 0; k < p_.fixed.size(); ++k) {
        const ShapeFixed& f = p_.fixed[k];
        if (static_cast<int>(bins.size()) <= f.bin)
            bins.resize(size_t(f.bin) + 1);
        for (int piece : lib_.orient(fixed_[k]).pieces)
            bins[size_t(f.bin)].pieces.push_back({piece, f.translation});
    }
    return bins;
}

void Decoder::add(Bin& bin, int orient, Point t, double area)
{
    for (int piece : pieces_of(lib_.orient(orient)))
        bin.pieces.push_back({piece, t});
    bin.used_area += area;
}

// The parts of `seq` from position k on, each in the allowed orientation
// of least height that fits, in rows of their boxes above every piece in
// the last bin with any: apart from each other and from all placed
// before. The tallest go first, each into the first row with room across
// (first fit by decreasing height), so a row's later boxes are no taller
// than its first. On sheets a row that would run past the sheet's end
// starts the next sheet, while there may be one more. The steps keep the
// sequence's order.
void Decoder::lay_in_rows(Layout& out, std::vector<Bin>& bins,
                          const Sequence& seq, size_t k)
{
    // Each part's orientation, or -1 where none fits.
    std::vector<Step> steps;
    for (size_t at = k; at < seq.order.size(); ++at) {
        int item = seq.order[at];
        const std::vector<int>& options = orients_[size_t(item)];
        int choice = seq.choice[size_t(item)];
        Step step;
        step.item = item;
        for (size_t o = 0; o < options.size(); ++o) {
            const Box& b = lib_.orient(options[o]).box;
            if (!allowed(choice, o, options.size()) ||
                !p_.fits_media(b, eps_))
                continue;
            if (step.orient < 0 ||
                b.height() < lib_.orient(step.orient).box.height()) {
                step.orient = options[o];
                step.option = int(o);
            }
        }
        steps.push_back(step);
    }
    auto box_of = [&](const Step& s) -> const Box& {
        return lib_.orient(s.orient).box;
    };
    std::vector<size_t> tallest_first;
    for (size_t i = 0; i < steps.size(); ++i)
        if (steps[i].orient >= 0)
            tallest_first.push_back(i);
    std::stable_sort(tallest_first.begin(), tallest_first.end(),
                     [&](size_t a, size_t b) {
                         return box_of(steps[a]).height() >
                                box_of(steps[b]).height();
                     });

    struct Row {
        size_t bin;
        double y, height, x;
    };
    std::vector<Row> rows;
    size_t bin = 0;
    for (size_t b = 0; b < bins.size(); ++b)
        if (!bins[b].pieces.empty())
            bin = b;
    auto top_of = [&](size_t b) {
        double top = 0;
        for (const PlacedPiece& pp : bins[b].pieces)
            top = std::max(top, lib_.piece(pp.piece).box.y_max + pp.t.y);
        return top;
    };
    double next_y = top_of(bin);  // where the bin's next row would start
    for (size_t i : tallest_first) {
        Step& step = steps[i];
        const Box& b = box_of(step);
        Row* row = nullptr;
        for (Row& r : rows)
            if (r.x + b.width() <= p_.width + eps_ &&
                b.height() <= r.height + eps_) {
                row = &r;
                break;
            }
        while (row == nullptr) {
            if (p_.strip || next_y + b.height() <= p_.length + eps_) {
                rows.push_back({bin, next_y, b.height(), 0});
                next_y += b.height();
                row = &rows.back();
            } else if (p_.max_bins > 0 && int(bin) + 1 >= p_.max_bins) {
                break;  // no room left on any sheet
            } else {
                if (++bin == bins.size())
                    bins.emplace_back();
                next_y = top_of(bin);
            }
        }
        if (row == nullptr) {
            step.orient = -1;
            step.option = 0;
            continue;
        }
        step.bin = int(row->bin);
        step.t = {row->x - b.x_min, row->y - b.y_min};
        step.far = step.t.y + b.y_max;
        row->x += b.width();
    }
    for (Step& step : steps) {
        const ShapeItem& it = p_.items[size_t(step.item)];
        if (step.orient < 0)
            out.unplaced_area += it.area;
        else
            add(bins[size_t(step.bin)], step.orient, step.t, it.area);
        out.steps.push_back(step);
    }
}

void Decoder::finish(Layout& out, const std::vector<Bin>& bins) const
{
    double far_sum = 0, min_fill = 1;
    out.length = 0;
    out.bins = 0;
    for (const Step& s : out.steps) {
        if (s.orient < 0)
            continue;
        out.length = std::max(out.length, s.far);
        far_sum += s.far;
    }
    for (size_t b = 0; b < bins.size(); ++b) {
        if (bins[b].pieces.empty())
            continue;
        ++out.bins;
        if (!p_.strip)
            min_fill = std::min(min_fill, bins[b].used_area /
                                              (p_.width * p_.length));
    }
    double spread = p_.strip ? out.length : out.bins + min_fill;
    out.primary = out.unplaced_area * 1e6 + spread;
    double mean_far = out.steps.empty() ? 0 : far_sum / out.steps.size();
    out.cost = out.primary + (p_.strip ? 0.05 * mean_far : 0);
}

Layout Decoder::run(const Sequence& seq, const Layout* reuse, size_t from)
{
    lib_.trim();
    Layout out;
    std::vector<Bin> bins = fresh_bins();

    // Steps before `from` came out the same last time; replay them.
    if (reuse == nullptr)
        from = 0;
    for (size_t k = 0; k < from; ++k) {
        const Step& s = reuse->steps[k];
        out.steps.push_back(s);
        if (s.orient < 0) {
            out.unplaced_area += p_.items[size_t(s.item)].area;
            continue;
        }
        if (static_cast<int>(bins.size()) <= s.bin)
            bins.resize(size_t(s.bin) + 1);
        add(bins[size_t(s.bin)], s.orient, s.t, p_.items[size_t(s.item)].area);
    }

    for (size_t k = from; k < seq.order.size(); ++k) {
        if (rush_ != nullptr && rush_->out_of_time()) {
            lay_in_rows(out, bins, seq, k);
            break;
        }
        int item = seq.order[k];
        const auto& options = orients_[size_t(item)];
        int choice = seq.choice[size_t(item)];
        Step step;
        step.item = item;
        bool may_open = !p_.strip && (p_.max_bins == 0 ||
                                      int(bins.size()) < p_.max_bins);
        size_t bin_count = bins.size() + (may_open ? 1 : 0);
        for (size_t b = 0; b < bin_count && step.orient < 0; ++b) {
            if (b == bins.size())
                bins.emplace_back();
            double best = inf;
            for (size_t o = 0; o < options.size(); ++o) {
                if (!allowed(choice, o, options.size()))
                    continue;
                auto c = place(bins[b], options[o]);
                if (c && c->score < best) {
                    best = c->score;
                    step.orient = options[o];
                    step.option = int(o);
                    step.bin = int(b);
                    step.t = c->t;
                }
            }
        }
        const ShapeItem& it = p_.items[size_t(item)];
        if (step.orient >= 0) {
            step.far = step.t.y + lib_.orient(step.orient).box.y_max;
            add(bins[size_t(step.bin)], step.orient, step.t, it.area);
        } else {
            out.unplaced_area += it.area;
        }
        out.steps.push_back(step);
    }
    finish(out, bins);
    return out;
}

ShapeSolution to_solution(const Layout& l, long evaluations)
{
    ShapeSolution s;
    for (const Step& step : l.steps) {
        if (step.orient < 0)
            s.unplaced.push_back(step.item);
        else
            s.placed.push_back({step.item, step.option, step.bin, step.t});
    }
    s.length = l.length;
    s.bins = l.bins;
    s.evaluations = evaluations;
    return s;
}

// Decreasing area, box length along the feed, box width, longer side.
std::vector<Sequence> starting_sequences(const ShapeProblem& p)
{
    auto key = [&](int kind, int item) {
        const ShapeItem& it = p.items[size_t(item)];
        Box b = bounds(it.options.front().rings);
        switch (kind) {
        case 0: return it.area;
        case 1: return b.height();
        case 2: return b.width();
        default: return std::max(b.width(), b.height());
        }
    };
    std::vector<Sequence> out;
    for (int kind = 0; kind < 4; ++kind) {
        Sequence s;
        s.order.resize(p.items.size());
        for (size_t i = 0; i < p.items.size(); ++i)
            s.order[i] = int(i);
        std::stable_sort(s.order.begin(), s.order.end(), [&](int a, int b) {
            return key(kind, a) > key(kind, b);
        });
        s.choice.assign(p.items.size(), -1);
        out.push_back(std::move(s));
    }
    return out;
}

// With overlap minimisation after it, the sequence search gets this
// share of the budget and the first feasible strip to shorten.
constexpr double sequence_share = 0.1;
// On sheets the sequence search gets this share, the sheet search after
// it the rest (it ends sooner on as few sheets as the area allows).
constexpr double sheet_sequence_share = 0.5;

// With overlap minimisation after it, parts cut into more convex pieces
// than this on average are placed by their hulls: one bottom-left strip
// of gardeyn9 (47 parts of 32 pieces) takes 50 s on their pieces.
constexpr double hull_decode_pieces = 8;

double mean_pieces(const PieceLibrary& lib,
                   const std::vector<std::vector<int>>& orients)
{
    double sum = 0;
    for (const std::vector<int>& list : orients)
        sum += double(lib.orient(list.front()).pieces.size());
    return orients.empty() ? 0 : sum / double(orients.size());
}

// Under a time limit, whether one layout by pieces would take more than
// half of it, judged by how long one of `order` by hulls takes: by
// pieces, a layout does about half the square of the pieces per part as
// much no-fit work (gardeyn7, 6.5 pieces a part: 0.18 s by hulls, 4.5 s
// by pieces; swim, 5.4: 0.007 s and 0.084 s). Such a layout would leave
// the overlap search no time, and at worst be laid in rows as the time
// ran out (gardeyn7 at 1 s: 68 %, against 78 % from a layout by hulls).
// A counted budget waits for any layout. The layout by hulls goes into
// `timed`, when one was made: the first start, if hulls it is.
bool pieces_too_slow(const ShapeProblem& p, PieceLibrary& lib,
                     const std::vector<std::vector<int>>& orients,
                     const std::vector<int>& fixed, const Sequence& order,
                     Budget& budget, std::optional<Layout>& timed)
{
    double slower = std::pow(mean_pieces(lib, orients), 2) / 2;
    if (!(budget.time_limit_s() > 0) || order.order.size() < 2 ||
        slower <= 1)
        return false;
    Decoder by_hulls(p, lib, orients, fixed);
    by_hulls.use_hulls();
    by_hulls.rush_when_out_of_time(budget);
    double before = budget.elapsed_s();
    timed = by_hulls.run(order, nullptr, 0);
    budget.count();
    double took = budget.elapsed_s() - before;
    return took * slower > budget.time_limit_s() / 2;
}

bool separation_applies(const ShapeProblem& p, const Layout& l)
{
    return p.overlap_search && p.strip && p.items.size() >= 2 &&
           l.unplaced_area <= 0 && !l.steps.empty();
}

bool sheet_search_applies(const ShapeProblem& p)
{
    return p.overlap_search && !p.strip && p.items.size() >= 2;
}

SheetLayout sheet_layout(const Layout& l)
{
    SheetLayout out;
    out.sheet.assign(l.steps.size(), -1);
    out.option.assign(l.steps.size(), 0);
    out.t.assign(l.steps.size(), {});
    for (const Step& s : l.steps) {
        if (s.orient < 0)
            continue;
        out.sheet[size_t(s.item)] = s.bin;
        out.option[size_t(s.item)] = s.option;
        out.t[size_t(s.item)] = s.t;
    }
    return out;
}

StripLayout strip_layout(const Layout& l)
{
    StripLayout out;
    out.option.assign(l.steps.size(), 0);
    out.t.assign(l.steps.size(), {});
    for (const Step& s : l.steps) {
        out.option[size_t(s.item)] = s.option;
        out.t[size_t(s.item)] = s.t;
    }
    out.length = l.length;
    return out;
}

// A shorter strip back into the layout the solution is read from.
void apply(const StripLayout& strip, const PieceLibrary& lib,
           const std::vector<std::vector<int>>& orients, Layout& l)
{
    for (Step& s : l.steps) {
        s.option = strip.option[size_t(s.item)];
        s.orient = orients[size_t(s.item)][size_t(s.option)];
        s.t = strip.t[size_t(s.item)];
        s.far = s.t.y + lib.orient(s.orient).box.y_max;
    }
    l.length = strip.length;
}

// Sheets after the sheet search back into the layout.
void apply(const SheetLayout& sheets, const ShapeProblem& p,
           const PieceLibrary& lib,
           const std::vector<std::vector<int>>& orients, Layout& l)
{
    l.length = 0;
    l.bins = 0;
    l.unplaced_area = 0;
    for (Step& s : l.steps) {
        size_t i = size_t(s.item);
        s.bin = std::max(0, sheets.sheet[i]);
        if (sheets.sheet[i] < 0) {
            s.orient = -1;
            l.unplaced_area += p.items[i].area;
            continue;
        }
        s.option = sheets.option[i];
        s.orient = orients[i][size_t(s.option)];
        s.t = sheets.t[i];
        s.far = s.t.y + lib.orient(s.orient).box.y_max;
        l.length = std::max(l.length, s.far);
        l.bins = std::max(l.bins, s.bin + 1);
    }
    for (const ShapeFixed& f : p.fixed)
        l.bins = std::max(l.bins, f.bin + 1);
    l.primary = sheets.spread(p);
}

double lower_bound(const ShapeProblem& p)
{
    double area = 0;
    for (const ShapeItem& item : p.items)
        area += item.area;
    return p.strip ? area / p.width
                   : std::ceil(area / (p.width * p.length) - 1e-9);
}

// Simulated annealing on the sequence from `current` (decoded as `cur`),
// cooling with the budget until its `share` of it; the best layout seen.
Layout anneal(const ShapeProblem& p, Decoder& decoder,
              const std::vector<int>& option_counts, Sequence current,
              Layout cur, Budget& budget, double share, std::uint64_t seed)
{
    Layout best = cur;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0, 1);
    double bound = lower_bound(p);
    double t0 = 0.003 * (p.strip ? cur.primary : 1.0);
    auto done = [&] {
        bool complete = best.unplaced_area <= 0;
        return budget.spent() || budget.progress() >= share ||
               p.items.size() < 2 ||
               (complete && p.strip && p.target_length > 0 &&
                best.length <= p.target_length) ||
               (complete && !p.strip && best.bins <= bound);
    };
    while (!done()) {
        Sequence next = current;
        // Half the moves are local: they keep more of the prefix.
        size_t reach = unit(rng) < 0.5 ? 4 : 0;
        size_t from = mutate(next, option_counts, rng, reach);
        Layout l = decoder.run(next, &cur, from);
        budget.count();
        double heat = t0 * std::max(0.0, 1.0 - budget.progress() / share);
        double delta = l.cost - cur.cost;
        if (delta <= 0 || (heat > 0 && unit(rng) < std::exp(-delta / heat))) {
            current = std::move(next);
            cur = std::move(l);
            if (cur.primary < best.primary)
                best = cur;
        }
    }
    return best;
}

// Run k's annealing seed: the nest's for run 0, so one thread anneals as
// a nest without the overlap search does; the others apart from it.
std::uint64_t annealing_seed(std::uint64_t seed, int run)
{
    return seed + std::uint64_t(run) * 0x9E3779B97F4A7C15ULL;
}

}  // namespace

ShapeSolution pack_shapes(const ShapeProblem& p, Budget& budget,
                          std::uint64_t seed)
{
    // Index every orientation's convex pieces once.
    PieceLibrary lib;
    lib.scale = std::max(p.width, p.length);
    std::vector<std::vector<int>> orients(p.items.size());
    std::vector<int> option_counts(p.items.size());
    for (size_t i = 0; i < p.items.size(); ++i) {
        for (const ShapeOrientation& o : p.items[i].options)
            orients[i].push_back(lib.add(o));
        // One more choice than options: "the best of them".
        option_counts[i] = int(p.items[i].options.size()) + 1;
    }
    std::vector<int> fixed;
    for (const ShapeFixed& f : p.fixed)
        fixed.push_back(lib.add(f.shape));
    lib.seal();
    Decoder decoder(p, lib, orients, fixed);
    decoder.rush_when_out_of_time(budget);
    bool separating = p.overlap_search && p.strip;
    std::vector<Sequence> starts = starting_sequences(p);
    std::optional<Layout> timed;  // the first start by hulls, if made
    bool hulls = separating && !starts.empty() &&
                 (mean_pieces(lib, orients) > hull_decode_pieces ||
                  pieces_too_slow(p, lib, orients, fixed, starts.front(),
                                  budget, timed));
    if (hulls)
        decoder.use_hulls();
    else
        timed.reset();

    // Start from the best of a few decreasing orders, each item in its
    // best orientation. With the overlap search to follow they stop at
    // the sequence search's share: large instances (gardeyn7, 160 parts)
    // take that long for one order.
    Sequence current;
    Layout cur;
    for (const Sequence& start : starts) {
        Layout l;
        if (timed) {  // the first start, already laid out by hulls
            l = std::move(*timed);
            timed.reset();
        } else {
            l = decoder.run(start, nullptr, 0);
            budget.count();
        }
        if (l.primary < cur.primary) {
            cur = std::move(l);
            current = start;
        }
        if (budget.spent() ||
            (separating && budget.progress() >= sequence_share) ||
            (sheet_search_applies(p) &&
             budget.progress() >= sheet_sequence_share))
            break;
    }
    if (sheet_search_applies(p)) {
        Layout best = anneal(p, decoder, option_counts, current, cur,
                             budget, sheet_sequence_share, seed);
        if (!budget.spent() && !best.steps.empty()) {
            SheetLayout emptied = empty_sheets(p, lib, orients, fixed,
                                               sheet_layout(best), budget,
                                               seed);
            apply(emptied, p, lib, orients, best);
        }
        return to_solution(best, budget.evaluations());
    }
    // Out of budget already (a first layout took it all), the overlap
    // search would only set itself up, every thread measuring all the
    // layout's overlaps (a table of n by n): 0.4 s past a 3 s limit with
    // 3500 parts.
    if (!separation_applies(p, cur) || budget.spent())
        return to_solution(
            anneal(p, decoder, option_counts, current, cur, budget, 1.0,
                   seed),
            budget.evaluations());

    // Pinned parts join the search as items it never moves, after the
    // others.
    ShapeProblem search = p;
    std::vector<std::vector<int>> search_orients = orients;
    for (size_t k = 0; k < p.fixed.size(); ++k) {
        search.items.push_back(
            {{p.fixed[k].shape}, area(p.fixed[k].shape.rings)});
        search_orients.push_back({fixed[k]});
    }
    search.fixed.clear();
    search.pinned_items = p.fixed.size();

    // With the overlap search, every search thread anneals a start of its
    // own from that order, on its own copy of the library (`lib` is only
    // read from here on: the threads copy it side by side), then shortens
    // it. The sequence search so runs on every core, and the searches
    // start from strips apart: from one, they all fell into the same dead
    // end (jakobs2 at 23.0 long).
    auto start_of = [&](int run, Budget& own) {
        PieceLibrary own_lib(lib);
        Decoder d(p, own_lib, orients, fixed);
        d.rush_when_out_of_time(own);
        if (hulls)
            d.use_hulls();
        StripLayout start = strip_layout(
            anneal(p, d, option_counts, current, cur, own, sequence_share,
                   annealing_seed(seed, run)));
        for (size_t k = 0; k < p.fixed.size(); ++k) {
            start.option.push_back(0);
            start.t.push_back(p.fixed[k].translation);
            start.length = std::max(
                start.length, p.fixed[k].translation.y +
                                  lib.orient(fixed[k]).box.y_max);
        }
        return start;
    };
    StripLayout shortest =
        shorten_strip(search, lib, search_orients, start_of, budget, seed);
    Layout best = cur;
    apply(shortest, lib, orients, best);
    return to_solution(best, budget.evaluations());
}

}  // namespace ripline::nest
