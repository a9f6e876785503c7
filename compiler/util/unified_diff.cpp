#include "util/unified_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <unordered_map>
#include <vector>

namespace dcomm::util {

namespace {

/// The lines of `text`, each with its '\n' so that a last line without
/// one differs from the same line with one, as in `diff`.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::size_t length = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, length));
    text.remove_prefix(length);
  }
  return lines;
}

/// Numbers the distinct lines of both texts, so the diff compares ints.
class LineNumbering {
 public:
  std::vector<int> number(const std::vector<std::string_view>& lines) {
    std::vector<int> ids;
    ids.reserve(lines.size());
    for (std::string_view line : lines) {
      ids.push_back(ids_.try_emplace(line, static_cast<int>(ids_.size())).first->second);
    }
    return ids;
  }

 private:
  std::unordered_map<std::string_view, int> ids_;
};

/// Myers' O(ND) difference algorithm with the linear-space refinement
/// (Myers 1986, section 4b): find the middle snake of the edit path, then
/// solve the two halves on either side of it.
class ShortestEdit {
 public:
  ShortestEdit(const std::vector<int>& a, const std::vector<int>& b)
      : a_(a),
        b_(b),
        offset_(static_cast<int>(a.size() + b.size()) + 2),
        forward_(2 * static_cast<std::size_t>(offset_) + 1),
        backward_(forward_.size()),
        removed_(a.size()),
        added_(b.size()) {
    compare(0, static_cast<int>(a.size()), 0, static_cast<int>(b.size()));
  }

  const std::vector<bool>& removed() const { return removed_; }
  const std::vector<bool>& added() const { return added_; }

 private:
  struct Snake {
    int a_begin, b_begin, a_end, b_end;
  };

  void compare(int a_begin, int a_end, int b_begin, int b_end) {
    while (a_begin < a_end && b_begin < b_end && a_[a_begin] == b_[b_begin]) {
      ++a_begin;
      ++b_begin;
    }
    while (a_begin < a_end && b_begin < b_end && a_[a_end - 1] == b_[b_end - 1]) {
      --a_end;
      --b_end;
    }
    if (a_begin == a_end || b_begin == b_end) {
      std::fill(removed_.begin() + a_begin, removed_.begin() + a_end, true);
      std::fill(added_.begin() + b_begin, added_.begin() + b_end, true);
      return;
    }
    // Both sides are non-empty and differ at both ends, so at least two
    // edits remain and each half below has fewer: the recursion ends.
    const Snake middle = middle_snake(a_begin, a_end, b_begin, b_end);
    compare(a_begin, middle.a_begin, b_begin, middle.b_begin);
    compare(middle.a_end, a_end, middle.b_end, b_end);
  }

  /// Runs the search from both corners at once until the paths meet.
  /// forward_[k] is the furthest x reached on diagonal k = x - y from the
  /// top left; backward_[k] the same counted from the bottom right.
  Snake middle_snake(int a_begin, int a_end, int b_begin, int b_end) {
    const int n = a_end - a_begin;
    const int m = b_end - b_begin;
    const int delta = n - m;
    const bool odd = delta % 2 != 0;
    auto v_forward = [&](int k) -> int& { return forward_[offset_ + k]; };
    auto v_backward = [&](int k) -> int& { return backward_[offset_ + k]; };
    v_forward(1) = 0;
    v_backward(1) = 0;
    for (int d = 0; d <= (n + m + 1) / 2; ++d) {
      for (int k = -d; k <= d; k += 2) {
        int x = furthest_start(v_forward, k, d);
        int y = x - k;
        const int x0 = x;
        const int y0 = y;
        while (x < n && y < m && a_[a_begin + x] == b_[b_begin + y]) {
          ++x;
          ++y;
        }
        v_forward(k) = x;
        const int k_back = delta - k;
        if (odd && k_back >= -(d - 1) && k_back <= d - 1 && x + v_backward(k_back) >= n) {
          return {a_begin + x0, b_begin + y0, a_begin + x, b_begin + y};
        }
      }
      for (int k = -d; k <= d; k += 2) {
        int x = furthest_start(v_backward, k, d);
        int y = x - k;
        const int x0 = x;
        const int y0 = y;
        while (x < n && y < m && a_[a_end - 1 - x] == b_[b_end - 1 - y]) {
          ++x;
          ++y;
        }
        v_backward(k) = x;
        const int k_forward = delta - k;
        if (!odd && k_forward >= -d && k_forward <= d && v_forward(k_forward) + x >= n) {
          return {a_end - x, b_end - y, a_end - x0, b_end - y0};
        }
      }
    }
    return {a_begin, b_begin, a_begin, b_begin};  // not reached: the paths always meet
  }

  /// Where a path of d edits on diagonal k starts: one step down from
  /// diagonal k+1 or one step right from k-1, whichever got further.
  template <typename V>
  static int furthest_start(V& v, int k, int d) {
    if (k == -d || (k != d && v(k - 1) < v(k + 1))) return v(k + 1);
    return v(k - 1) + 1;
  }

  const std::vector<int>& a_;
  const std::vector<int>& b_;
  int offset_;
  std::vector<int> forward_;
  std::vector<int> backward_;
  std::vector<bool> removed_;
  std::vector<bool> added_;
};

/// A run of removed lines [a_begin, a_end) replaced by [b_begin, b_end).
struct Change {
  int a_begin, a_end, b_begin, b_end;
};

std::vector<Change> collect_changes(const std::vector<bool>& removed,
                                    const std::vector<bool>& added) {
  const int n = static_cast<int>(removed.size());
  const int m = static_cast<int>(added.size());
  std::vector<Change> changes;
  int a = 0;
  int b = 0;
  while (a < n || b < m) {
    if ((a < n && removed[a]) || (b < m && added[b])) {
      Change change{a, a, b, b};
      while (a < n && removed[a]) ++a;
      while (b < m && added[b]) ++b;
      change.a_end = a;
      change.b_end = b;
      changes.push_back(change);
    } else {
      ++a;  // an unchanged line, the same in both texts
      ++b;
    }
  }
  return changes;
}

/// "l,n" of a hunk header: 1-based first line and count; the count is
/// left out when it is 1, and an empty range names the line before it.
std::string hunk_range(int begin, int count) {
  if (count == 0) return fmt::format("{},0", begin);
  if (count == 1) return fmt::format("{}", begin + 1);
  return fmt::format("{},{}", begin + 1, count);
}

void append_line(std::string& out, char marker, std::string_view line) {
  out += marker;
  out += line;
  if (!line.ends_with('\n')) out += "\n\\ No newline at end of file\n";
}

class HunkWriter {
 public:
  HunkWriter(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
             int context, std::string& out)
      : a_(a), b_(b), context_(context), out_(out) {}

  /// Writes one hunk covering `changes`, which are close enough to share it.
  void write(std::span<const Change> changes) {
    const Change& first = changes.front();
    const Change& last = changes.back();
    const int lead = std::min(context_, first.a_begin);
    const int trail = std::min(context_, static_cast<int>(a_.size()) - last.a_end);
    const int a_begin = first.a_begin - lead;
    const int b_begin = first.b_begin - lead;
    out_ += fmt::format("@@ -{} +{} @@\n", hunk_range(a_begin, last.a_end + trail - a_begin),
                        hunk_range(b_begin, last.b_end + trail - b_begin));
    int a = a_begin;
    for (const Change& change : changes) {
      for (; a < change.a_begin; ++a) append_line(out_, ' ', a_[a]);
      for (; a < change.a_end; ++a) append_line(out_, '-', a_[a]);
      for (int b = change.b_begin; b < change.b_end; ++b) append_line(out_, '+', b_[b]);
    }
    for (; a < last.a_end + trail; ++a) append_line(out_, ' ', a_[a]);
  }

 private:
  const std::vector<std::string_view>& a_;
  const std::vector<std::string_view>& b_;
  int context_;
  std::string& out_;
};

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_name, std::string_view after_name, int context) {
  if (before == after) return {};
  context = std::max(context, 0);
  const std::vector<std::string_view> a = split_lines(before);
  const std::vector<std::string_view> b = split_lines(after);
  LineNumbering numbering;
  const std::vector<int> a_ids = numbering.number(a);
  const std::vector<int> b_ids = numbering.number(b);
  const ShortestEdit edit(a_ids, b_ids);
  const std::vector<Change> changes = collect_changes(edit.removed(), edit.added());

  std::string out = fmt::format("--- {}\n+++ {}\n", before_name, after_name);
  HunkWriter hunks(a, b, context, out);
  std::size_t first = 0;
  for (std::size_t i = 1; i <= changes.size(); ++i) {
    // Changes at most 2 * context lines apart share a hunk, as in diff -u.
    const bool ends_hunk =
        i == changes.size() || changes[i].a_begin - changes[i - 1].a_end > 2 * context;
    if (!ends_hunk) continue;
    hunks.write(std::span(changes).subspan(first, i - first));
    first = i;
  }
  return out;
}

}  // namespace dcomm::util
