#pragma once
// Where the formatter puts each comment: the comments of one sequence (a
// block body, list, map, call arguments or the whole file) placed before,
// after or beside its elements, so the printer only has to write them out.

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "syntax/ast.hpp"

namespace dcomm::format {

/// A comment on a line of its own.
struct Note {
  std::string_view text;
  bool blank_before = false;
};

/// One element of a sequence and the comments that go with it.
struct Slot {
  std::vector<Note> notes;    ///< the lines just before the element
  bool blank_before = false;  ///< a blank line between the notes and the element
  std::string_view trailing;  ///< at the end of the element's last line
};

/// The comments of one sequence, placed relative to its elements.
struct Sequence {
  std::string_view open_comment;    ///< on the line of the opening bracket
  std::vector<Slot> slots;          ///< one per element
  std::vector<Note> closing_notes;  ///< after the last element

  bool empty() const { return open_comment.empty() && slots.empty() && closing_notes.empty(); }
};

/// Where a sequence's elements lie: between `open` (just after the
/// opening bracket) and `close`. The file has no opening bracket.
struct Region {
  std::uint32_t open = 0;
  std::uint32_t close = 0;
  bool bracketed = true;
};

/// Where an element lies. Comments in [begin, header_end) are inside its
/// header (`name # here = 1`, `site # here "a" {`): they move to their own
/// lines before the element, since a statement's first line stays whole.
struct Extent {
  std::uint32_t begin = 0;
  std::uint32_t header_end = 0;
  std::uint32_t end = 0;
};

Extent extent_of(const syntax::Item& item);
Extent extent_of(const syntax::MapEntry& entry);
Extent extent_of(const syntax::Value& value);

/// Builds a Sequence from its elements and comments, visited in source
/// order. A comment on the line where an element ends trails it; one on
/// the line of the opening bracket stays there; any other becomes a note
/// before the next element, or before the closing bracket.
class SequenceBuilder {
 public:
  SequenceBuilder(std::string_view text, Region region)
      : text_(text), region_(region), last_end_(region.open), element_end_(region.open) {}

  void comment_between(const syntax::Comment& comment);
  void begin_element(std::uint32_t begin);
  /// The element's blank line now goes before the moved comment instead.
  void comment_in_header(const syntax::Comment& comment);
  void end_element(std::uint32_t end);
  Sequence finish();

 private:
  std::string_view comment_text(const syntax::Comment& comment) const;
  bool same_line(std::uint32_t from, std::uint32_t to) const;
  /// Blank lines are kept between lines, never first after an opening.
  bool blank_before(std::uint32_t at) const;

  std::string_view text_;
  Region region_;
  std::uint32_t last_end_;
  std::uint32_t element_end_;
  bool has_lines_ = false;
  std::vector<Note> pending_;
  Sequence sequence_;
};

/// The file's comments, in source order, for placing sequence by sequence.
class CommentIndex {
 public:
  CommentIndex(const std::vector<syntax::Comment>& comments, std::string_view text)
      : comments_(comments), text_(text) {}

  bool any_within(const Span& span) const;

  /// Places the comments of `region` that are not inside a nested sequence.
  template <typename Element>
  Sequence place(Region region, const std::vector<Element>& elements) const {
    SequenceBuilder builder(text_, region);
    auto next = first_from(region.open);
    auto take_until = [&](std::uint32_t limit, auto handle) {
      for (; next != comments_.end() && next->span.begin < limit; ++next) handle(*next);
    };
    for (const Element& element : elements) {
      const Extent extent = extent_of(element);
      take_until(extent.begin, [&](const syntax::Comment& c) { builder.comment_between(c); });
      builder.begin_element(extent.begin);
      take_until(extent.header_end, [&](const syntax::Comment& c) { builder.comment_in_header(c); });
      take_until(extent.end, [](const syntax::Comment&) {});  // placed with the nested sequence
      builder.end_element(extent.end);
    }
    take_until(region.close, [&](const syntax::Comment& c) { builder.comment_between(c); });
    return builder.finish();
  }

 private:
  std::vector<syntax::Comment>::const_iterator first_from(std::uint32_t offset) const;

  const std::vector<syntax::Comment>& comments_;
  std::string_view text_;
};

/// True when a blank line comes before the slot's element or its notes.
bool starts_after_blank(const Slot& slot);

}  // namespace dcomm::format
