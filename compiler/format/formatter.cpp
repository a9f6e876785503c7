#include "format/formatter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "format/comment_placement.hpp"
#include "source/utf8.hpp"

namespace dcomm::format {

namespace {

using syntax::Item;
using syntax::MapEntry;
using syntax::Value;

/// Lists, maps and calls longer than this are written one element a line.
constexpr std::size_t kLineWidth = 100;

/// Between an attribute's (or map entry's) name and its value.
constexpr std::string_view kEquals = " = ";

std::size_t indent_width(int depth) { return 2 * static_cast<std::size_t>(depth); }

std::size_t width(std::string_view text) { return count_code_points(text); }

// ---------------------------------------------------------------- literals

bool is_name(std::string_view text) {
  auto first = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  auto rest = [&](char c) { return first(c) || (c >= '0' && c <= '9') || c == '-'; };
  return !text.empty() && first(text.front()) && std::all_of(text.begin() + 1, text.end(), rest);
}

std::string dotted(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& segment : path) {
    if (!out.empty()) out += '.';
    out += segment;
  }
  return out;
}

std::string key_text(const MapEntry& entry) {
  return is_name(entry.key) ? entry.key : quote(entry.key);
}

bool is_container(const Value& value) {
  return value.kind == Value::Kind::list || value.kind == Value::Kind::map ||
         value.kind == Value::Kind::call;
}

// ---------------------------------------------------------------- alignment

/// The column each slot's name is padded to: the widest name in its run
/// of single-line attributes (or map entries), so their `=` line up. A run
/// ends at a blank line or at an element that is not on one line, for
/// which `name_width` gives 0 and which gets no padding.
template <typename NameWidth>
std::vector<std::size_t> align_names(const Sequence& sequence, NameWidth name_width) {
  const std::size_t count = sequence.slots.size();
  std::vector<std::size_t> widths(count);
  std::vector<std::size_t> columns(count, 0);
  std::size_t run = 0;
  auto close_run = [&](std::size_t end) {
    const auto widest = std::max_element(widths.begin() + run, widths.begin() + end);
    if (widest != widths.begin() + end)
      std::fill(columns.begin() + run, columns.begin() + end, *widest);
  };
  for (std::size_t i = 0; i < count; ++i) {
    widths[i] = name_width(i);
    if (widths[i] == 0 || starts_after_blank(sequence.slots[i])) {
      close_run(i);
      run = widths[i] == 0 ? i + 1 : i;
    }
  }
  close_run(count);
  return columns;
}

// ---------------------------------------------------------------- printer

class Printer {
 public:
  Printer(const syntax::File& file, const SourceFile& source)
      : file_(file), text_(source.text()), comments_(file.comments, text_) {}

  std::string print() {
    const Region whole{0, static_cast<std::uint32_t>(text_.size()), false};
    write_statements(file_.items, comments_.place(whole, file_.items), 0);
    return std::move(out_);
  }

 private:
  // ---- lines

  void start_line(int depth) { out_.append(indent_width(depth), ' '); }

  void end_line(std::string_view comment) {
    if (!comment.empty()) {
      out_ += "  ";
      out_ += comment;
    }
    out_ += '\n';
  }

  void write_notes(const std::vector<Note>& notes, int depth) {
    for (const Note& note : notes) {
      if (note.blank_before) out_ += '\n';
      start_line(depth);
      out_ += note.text;
      out_ += '\n';
    }
  }

  /// The elements of `sequence` with their comments and blank lines;
  /// `write_element(i, trailing_comment)` writes element i's lines.
  template <typename WriteElement>
  void write_sequence(const Sequence& sequence, int depth, WriteElement write_element) {
    for (std::size_t i = 0; i < sequence.slots.size(); ++i) {
      write_notes(sequence.slots[i].notes, depth);
      if (sequence.slots[i].blank_before) out_ += '\n';
      write_element(i, sequence.slots[i].trailing);
    }
    write_notes(sequence.closing_notes, depth);
  }

  /// `name = ` with `name` padded to `column`.
  void write_name(std::string_view name, std::size_t column) {
    out_ += name;
    out_.append(column - std::min(column, width(name)), ' ');
    out_ += kEquals;
  }

  // ---- statements

  void write_statements(const std::vector<Item>& items, const Sequence& sequence, int depth) {
    const auto columns = align_names(sequence, [&](std::size_t i) -> std::size_t {
      const Item& item = items[i];
      const bool aligned = item.kind == Item::Kind::attribute && attribute_fits(item, depth);
      return aligned ? width(item.name) : 0;
    });
    write_sequence(sequence, depth, [&](std::size_t i, std::string_view trailing) {
      write_statement(items[i], depth, columns[i], trailing);
    });
  }

  void write_statement(const Item& item, int depth, std::size_t column, std::string_view trailing) {
    start_line(depth);
    switch (item.kind) {
      case Item::Kind::import:
        out_ += "import ";
        out_ += quote(item.value.text);
        break;
      case Item::Kind::attribute:
        write_name(item.name, column);
        write_value(item.value, depth, attribute_fits(item, depth));
        break;
      case Item::Kind::block: write_block(item, depth); break;
    }
    end_line(trailing);
  }

  bool attribute_fits(const Item& attribute, int depth) const {
    return fits(attribute.value, indent_width(depth) + width(attribute.name) + kEquals.size());
  }

  /// `type "label"... {` body `}`, or `{}` when there is nothing inside.
  void write_block(const Item& block, int depth) {
    out_ += block.name;
    for (const auto& label : block.labels) {
      out_ += ' ';
      out_ += quote(label.text);
    }
    const Region body{block.body_open + 1, block.body_close, true};
    const Sequence sequence = comments_.place(body, block.body);
    if (sequence.empty()) {
      out_ += " {}";
      return;
    }
    out_ += " {";
    end_line(sequence.open_comment);
    write_statements(block.body, sequence, depth + 1);
    start_line(depth);
    out_ += "}";
  }

  // ---- values

  /// Whether `value` goes on the current line, after `used` columns: it
  /// has no comment inside, and it is short or cannot be broken anyway.
  bool fits(const Value& value, std::size_t used) const {
    if (!is_container(value)) return true;
    if (comments_.any_within(value.span)) return false;
    if (value.items.empty() && value.entries.empty()) return true;
    // A code point takes at most 4 bytes: beyond this the text cannot fit.
    constexpr std::size_t kMaxBytes = 4 * kLineWidth;
    std::string text;
    append_inline(value, text, kMaxBytes);
    return text.size() <= kMaxBytes && used + width(text) <= kLineWidth;
  }

  /// Appends `value` written on one line. Stops early once `out` is longer
  /// than `cap` bytes, so deciding whether a huge list fits stays cheap.
  void append_inline(const Value& value, std::string& out,
                     std::size_t cap = std::string::npos) const {
    switch (value.kind) {
      case Value::Kind::string: out += quote(value.text); return;
      case Value::Kind::boolean: out += value.number != 0 ? "true" : "false"; return;
      case Value::Kind::reference: out += dotted(value.path); return;
      case Value::Kind::call:
        out += dotted(value.path) + "(";
        append_inline_items(value, out, cap);
        out += ")";
        return;
      case Value::Kind::list:
        out += "[";
        append_inline_items(value, out, cap);
        out += "]";
        return;
      case Value::Kind::map:
        out += value.entries.empty() ? "{" : "{ ";
        append_inline_entries(value, out, cap);
        out += value.entries.empty() ? "}" : " }";
        return;
      case Value::Kind::integer:
      case Value::Kind::size:
      case Value::Kind::duration:
      case Value::Kind::port:
        // As written: 1024K stays 1024K rather than becoming 1M.
        out += text_.substr(value.span.begin, value.span.end - value.span.begin);
        return;
    }
  }

  void append_inline_items(const Value& value, std::string& out, std::size_t cap) const {
    for (std::size_t i = 0; i < value.items.size() && out.size() <= cap; ++i) {
      if (i > 0) out += ", ";
      append_inline(value.items[i], out, cap);
    }
  }

  void append_inline_entries(const Value& map, std::string& out, std::size_t cap) const {
    for (std::size_t i = 0; i < map.entries.size() && out.size() <= cap; ++i) {
      if (i > 0) out += ", ";
      out += key_text(map.entries[i]);
      out += kEquals;
      append_inline(map.entries[i].value, out, cap);
    }
  }

  void write_value(const Value& value, int depth, bool one_line) {
    if (one_line) {
      append_inline(value, out_);
    } else if (value.kind == Value::Kind::map) {
      write_map(value, depth);
    } else {
      write_list_or_call(value, depth);
    }
  }

  /// `[` or `name(`, one item a line, then `]` or `)`. Lists take a comma
  /// after every item; calls only between arguments, as the grammar wants.
  void write_list_or_call(const Value& value, int depth) {
    const bool list = value.kind == Value::Kind::list;
    const std::uint32_t open =
        list ? value.span.begin : static_cast<std::uint32_t>(text_.find('(', value.span.begin));
    const Sequence sequence = comments_.place({open + 1, value.span.end - 1, true}, value.items);
    out_ += list ? "[" : dotted(value.path) + "(";
    end_line(sequence.open_comment);
    const int inner = depth + 1;
    write_sequence(sequence, inner, [&](std::size_t i, std::string_view trailing) {
      const bool comma = list || i + 1 < value.items.size();
      start_line(inner);
      write_value(value.items[i], inner,
                  fits(value.items[i], indent_width(inner) + (comma ? 1 : 0)));
      if (comma) out_ += ",";
      end_line(trailing);
    });
    start_line(depth);
    out_ += list ? "]" : ")";
  }

  /// `{`, one `key = value` a line aligned like attributes, then `}`.
  void write_map(const Value& map, int depth) {
    const Sequence sequence =
        comments_.place({map.span.begin + 1, map.span.end - 1, true}, map.entries);
    const int inner = depth + 1;
    auto entry_fits = [&](const MapEntry& entry) {
      return fits(entry.value, indent_width(inner) + width(key_text(entry)) + kEquals.size());
    };
    const auto columns = align_names(sequence, [&](std::size_t i) -> std::size_t {
      return entry_fits(map.entries[i]) ? width(key_text(map.entries[i])) : 0;
    });
    out_ += "{";
    end_line(sequence.open_comment);
    write_sequence(sequence, inner, [&](std::size_t i, std::string_view trailing) {
      const MapEntry& entry = map.entries[i];
      start_line(inner);
      write_name(key_text(entry), columns[i]);
      write_value(entry.value, inner, entry_fits(entry));
      end_line(trailing);
    });
    start_line(depth);
    out_ += "}";
  }

  const syntax::File& file_;
  std::string_view text_;
  CommentIndex comments_;
  std::string out_;
};

}  // namespace

std::string format_file(const syntax::File& file, const SourceFile& source) {
  return Printer(file, source).print();
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    switch (byte) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      default: break;
    }
    if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\u{{{:X}}}", byte);
    } else if (byte == 0xC2 && next >= 0x80 && next < 0xA0) {  // U+0080..U+009F, C1 controls
      out += fmt::format("\\u{{{:X}}}", next);
      ++i;
    } else {
      out += text[i];
    }
  }
  out += '"';
  return out;
}

}  // namespace dcomm::format
