#include "format/comment_placement.hpp"

namespace dcomm::format {

namespace {

/// True when the gap between two tokens holds an empty line.
bool has_blank_line(std::string_view gap) {
  bool line_is_empty = false;
  for (char c : gap) {
    if (c == '\n') {
      if (line_is_empty) return true;
      line_is_empty = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      line_is_empty = false;
    }
  }
  return false;
}

}  // namespace

Extent extent_of(const syntax::Item& item) {
  const bool block = item.kind == syntax::Item::Kind::block;
  return {item.span.begin, block ? item.body_open : item.value.span.begin, item.span.end};
}
Extent extent_of(const syntax::MapEntry& entry) {
  return {entry.span.begin, entry.value.span.begin, entry.span.end};
}
Extent extent_of(const syntax::Value& value) {
  return {value.span.begin, value.span.begin, value.span.end};
}

// ---------------------------------------------------------------- SequenceBuilder

void SequenceBuilder::comment_between(const syntax::Comment& comment) {
  const std::string_view text = comment_text(comment);
  if (!sequence_.slots.empty() && same_line(element_end_, comment.span.begin)) {
    sequence_.slots.back().trailing = text;
  } else if (sequence_.slots.empty() && region_.bracketed &&
             same_line(region_.open, comment.span.begin)) {
    sequence_.open_comment = text;
  } else {
    pending_.push_back({text, blank_before(comment.span.begin)});
    has_lines_ = true;
  }
  last_end_ = comment.span.end;
}

void SequenceBuilder::begin_element(std::uint32_t begin) {
  Slot& slot = sequence_.slots.emplace_back();
  slot.notes = std::move(pending_);
  pending_.clear();
  slot.blank_before = blank_before(begin);
  has_lines_ = true;
}

void SequenceBuilder::comment_in_header(const syntax::Comment& comment) {
  Slot& slot = sequence_.slots.back();
  slot.notes.push_back({comment_text(comment), slot.blank_before});
  slot.blank_before = false;
}

void SequenceBuilder::end_element(std::uint32_t end) {
  last_end_ = end;
  element_end_ = end;
}

Sequence SequenceBuilder::finish() {
  sequence_.closing_notes = std::move(pending_);
  return std::move(sequence_);
}

std::string_view SequenceBuilder::comment_text(const syntax::Comment& comment) const {
  std::string_view text = text_.substr(comment.span.begin, comment.span.end - comment.span.begin);
  const std::size_t last = text.find_last_not_of(" \t\r\f\v");
  return text.substr(0, last + 1);
}

bool SequenceBuilder::same_line(std::uint32_t from, std::uint32_t to) const {
  return text_.substr(from, to - from).find('\n') == std::string_view::npos;
}

bool SequenceBuilder::blank_before(std::uint32_t at) const {
  return has_lines_ && has_blank_line(text_.substr(last_end_, at - last_end_));
}

// ---------------------------------------------------------------- CommentIndex

bool CommentIndex::any_within(const Span& span) const {
  auto it = first_from(span.begin);
  return it != comments_.end() && it->span.begin < span.end;
}

std::vector<syntax::Comment>::const_iterator CommentIndex::first_from(std::uint32_t offset) const {
  return std::lower_bound(comments_.begin(), comments_.end(), offset,
                          [](const syntax::Comment& c, std::uint32_t at) { return c.span.begin < at; });
}

bool starts_after_blank(const Slot& slot) {
  return slot.blank_before || std::any_of(slot.notes.begin(), slot.notes.end(),
                                          [](const Note& n) { return n.blank_before; });
}

}  // namespace dcomm::format
