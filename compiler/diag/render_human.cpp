// The human renderer: what an operator reads in a terminal.
//
//   error[E0208]: expected a value after '='
//    --> site.dcomm:4:12
//     |
//   4 |   domain =
//     |           ^ expected a value here
//     |
//     = help: a value is a "string", ...
//
// The source line is shown as written (tabs expanded, unprintable bytes
// replaced), never re-formatted.

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "diag/render.hpp"
#include "source/utf8.hpp"

namespace dcomm {

namespace {

constexpr std::string_view kTab = "    ";

struct Palette {
  std::string_view error, warning, note, gutter, secondary, bold, reset;
};

constexpr Palette kColor = {"\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m",
                            "\x1b[1;34m", "\x1b[1;34m", "\x1b[1m", "\x1b[0m"};
constexpr Palette kPlain = {"", "", "", "", "", "", ""};

/// Very long lines (minified or generated specs) are shown as a window
/// around what is marked, so a diagnostic stays readable and cheap.
constexpr std::size_t kWindowBytes = 160;
constexpr std::size_t kWindowLead = 60;
constexpr std::string_view kCut = "...";

/// Text as the terminal will show it, with the display column (0-based)
/// of every byte offset that starts a character.
struct DisplayLine {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> columns;  // (byte, column), by byte

  std::size_t column_of(std::size_t byte) const {
    auto it = std::lower_bound(columns.begin(), columns.end(), std::make_pair(byte, std::size_t{0}));
    return it == columns.end() ? width_ : it->second;
  }
  std::size_t width_ = 0;
};

DisplayLine display(std::string_view line) {
  DisplayLine out;
  std::size_t i = 0;
  while (i < line.size()) {
    out.columns.emplace_back(i, out.width_);
    const auto lead = static_cast<unsigned char>(line[i]);
    std::size_t length = sequence_length(lead);
    const bool valid = i + length <= line.size() && !find_invalid_utf8(line.substr(i, length));
    if (lead == '\t') {
      out.text += kTab;
      out.width_ += kTab.size();
    } else if (!valid || find_control_character(line.substr(i, length))) {
      // C0, DEL and C1 controls: a terminal may act on them (U+009B opens
      // an escape sequence), so they are shown as U+FFFD.
      out.text += "\xEF\xBF\xBD";  // U+FFFD
      out.width_ += 1;
      if (!valid) length = 1;
    } else {
      out.text.append(line.substr(i, length));
      out.width_ += 1;
    }
    i += length;
  }
  return out;
}

/// The part of a line that is shown: all of it, or a window with "..."
/// where it was cut.
struct Window {
  std::size_t begin = 0;  ///< byte offset in the line
  DisplayLine shown;
  bool cut_left = false;
  bool cut_right = false;

  std::size_t column_of(std::size_t byte_in_line) const {
    const std::size_t lead = cut_left ? kCut.size() : 0;
    return lead + shown.column_of(byte_in_line < begin ? 0 : byte_in_line - begin);
  }
};

Window window_of(std::string_view line, std::size_t first_byte) {
  Window w;
  if (line.size() <= kWindowBytes) {
    w.shown = display(line);
    return w;
  }
  std::size_t begin = first_byte > kWindowLead ? first_byte - kWindowLead : 0;
  std::size_t end = std::min(line.size(), begin + kWindowBytes);
  auto continuation = [&](std::size_t at) {
    return at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80;
  };
  while (begin > 0 && continuation(begin)) --begin;
  while (continuation(end)) ++end;
  w.begin = begin;
  w.cut_left = begin > 0;
  w.cut_right = end < line.size();
  w.shown = display(line.substr(begin, end - begin));
  return w;
}

struct Mark {
  std::uint32_t line;
  std::uint32_t column;      // 1-based code points, for the "-->" line
  std::size_t first_byte;    // in the line
  std::size_t last_byte;     // in the line, exclusive; the span stops at the line's end
  bool primary;
  const std::string* message;
};

class HumanRenderer {
 public:
  HumanRenderer(const SourceMap& sources, std::ostream& out, const HumanStyle& style)
      : sources_(sources), out_(out), p_(style.color ? kColor : kPlain) {}

  void render(const Diagnostic& d) {
    const auto& color = d.severity == Severity::error ? p_.error : p_.warning;
    out_ << fmt::format("{}{}[{}]{}{}: {}{}\n", color, to_string(d.severity), d.code, p_.reset,
                        p_.bold, d.message, p_.reset);

    std::vector<const Label*> labels{&d.primary};
    for (const auto& label : d.secondary) labels.push_back(&label);
    gutter_ = gutter_width(labels);

    // The primary label's file first, then each other file in turn.
    std::vector<FileId> files{d.primary.span.file};
    for (const auto& label : d.secondary) {
      if (std::find(files.begin(), files.end(), label.span.file) == files.end()) {
        files.push_back(label.span.file);
      }
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
      snippet(files[i], labels, d.primary, i == 0);
    }

    const bool has_footer = !d.notes.empty() || !d.help.empty() || !d.fixes.empty();
    // A diagnostic about something no longer in the spec has no excerpt to close.
    const bool has_excerpt = d.primary.span.file < sources_.size();
    if (has_footer && has_excerpt) blank_gutter();
    for (const auto& note : d.notes) footer("note", note);
    if (!d.help.empty()) footer("help", d.help);
    for (const auto& fix : d.fixes) fix_line(fix);
    out_ << '\n';
  }

 private:
  std::size_t gutter_width(const std::vector<const Label*>& labels) const {
    std::uint32_t widest = 1;
    for (const Label* label : labels) {
      if (label->span.file >= sources_.size()) continue;
      widest = std::max(widest, sources_.file(label->span.file).locate(label->span.begin).line);
    }
    return std::to_string(widest).size();
  }

  void snippet(FileId file_id, const std::vector<const Label*>& labels, const Label& primary,
               bool is_primary_file) {
    if (file_id >= sources_.size()) return;
    const SourceFile& file = sources_.file(file_id);
    std::vector<Mark> marks;
    for (const Label* label : labels) {
      if (label->span.file == file_id) marks.push_back(mark(file, *label, label == &primary));
    }
    std::stable_sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) {
      return std::tie(a.line, a.first_byte) < std::tie(b.line, b.first_byte);
    });

    const Mark& anchor = is_primary_file ? mark(file, primary, true) : marks.front();
    out_ << fmt::format("{:>{}}{}{}{} {}:{}:{}\n", "", gutter_, p_.gutter,
                        is_primary_file ? "-->" : ":::", p_.reset, file.name(), anchor.line,
                        anchor.column);
    blank_gutter();
    if (!file.quotable()) {
      // A file that is not a spec (an import gone wrong, a secret): its
      // location helps, its text might be a password.
      footer("note", fmt::format("{} is not a .dcomm file, so its text is not shown", file.name()));
      return;
    }

    std::uint32_t previous_line = 0;
    Window window;
    for (const Mark& m : marks) {
      if (m.line != previous_line) {
        if (previous_line != 0 && m.line > previous_line + 1) {
          out_ << fmt::format("{}...{}\n", p_.gutter, p_.reset);
        }
        window = window_of(file.line_text(m.line), m.first_byte);
        source_line(m.line, window);
        previous_line = m.line;
      }
      underline(window, m);
    }
  }

  Mark mark(const SourceFile& file, const Label& label, bool primary) const {
    const LineColumn begin = file.locate(label.span.begin);
    const std::size_t line_start = file.line_offset(begin.line);
    const std::size_t line_length = file.line_text(begin.line).size();
    const std::size_t first = label.span.begin - line_start;
    // A span running onto later lines is underlined to the end of its first.
    const std::size_t last = std::min<std::size_t>(label.span.end - line_start, line_length);
    return {begin.line, begin.column, first, std::max(first, last), primary, &label.message};
  }

  void source_line(std::uint32_t number, const Window& window) {
    out_ << fmt::format("{}{:>{}} |{}", p_.gutter, number, gutter_, p_.reset);
    if (!window.shown.text.empty()) {
      out_ << ' ' << (window.cut_left ? kCut : "") << window.shown.text
           << (window.cut_right ? kCut : "");
    }
    out_ << '\n';
  }

  void underline(const Window& window, const Mark& m) {
    const std::size_t from = window.column_of(m.first_byte);
    const std::size_t to = std::max(from + 1, window.column_of(m.last_byte));
    const auto& color = m.primary ? p_.error : p_.secondary;
    const char stroke = m.primary ? '^' : '-';
    out_ << fmt::format("{}{:>{}} |{} {:{}}{}{}{}", p_.gutter, "", gutter_, p_.reset, "", from,
                        color, std::string(to - from, stroke), p_.reset);
    if (!m.message->empty()) out_ << fmt::format(" {}{}{}", color, *m.message, p_.reset);
    out_ << '\n';
  }

  void blank_gutter() { out_ << fmt::format("{}{:>{}} |{}\n", p_.gutter, "", gutter_, p_.reset); }

  void footer(std::string_view kind, std::string_view text) {
    out_ << fmt::format("{:>{}} {}={} {}{}:{} {}\n", "", gutter_, p_.gutter, p_.reset, p_.bold,
                        kind, p_.reset, text);
  }

  /// Shows the line as it reads once the fix is applied.
  void fix_line(const FixIt& fix) {
    if (fix.span.file >= sources_.size()) return;
    const SourceFile& file = sources_.file(fix.span.file);
    if (!file.quotable()) return;
    const std::uint32_t line_number = file.locate(fix.span.begin).line;
    if (file.locate(fix.span.end).line != line_number) return;
    std::string fixed(file.line_text(line_number));
    const std::size_t start = fix.span.begin - file.line_offset(line_number);
    if (start > fixed.size()) return;
    fixed.replace(start, std::min<std::size_t>(fix.span.end - fix.span.begin, fixed.size() - start),
                  fix.replacement);
    footer("fix", fmt::format("`{}`", window_of(fixed, start).shown.text));
  }

  const SourceMap& sources_;
  std::ostream& out_;
  const Palette& p_;
  std::size_t gutter_ = 1;
};

}  // namespace

void render_human(const std::vector<Diagnostic>& diagnostics, const SourceMap& sources,
                  std::ostream& out, const HumanStyle& style) {
  HumanRenderer renderer(sources, out, style);
  for (const auto& d : diagnostics) renderer.render(d);
}

std::string summary_line(std::size_t errors, std::size_t warnings) {
  auto count = [](std::size_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
  };
  if (errors == 0 && warnings == 0) return "no problems found";
  if (warnings == 0) return count(errors, "error");
  if (errors == 0) return count(warnings, "warning");
  return count(errors, "error") + ", " + count(warnings, "warning");
}

}  // namespace dcomm
