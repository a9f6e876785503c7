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

/// One line as the terminal will show it, with a map from code-point
/// column (1-based) to display column (0-based).
struct DisplayLine {
  std::string text;
  std::vector<std::size_t> column_start;  // index: code point number

  std::size_t display_column(std::uint32_t column) const {
    if (column == 0) return 0;
    const std::size_t index = column - 1;
    return index < column_start.size() ? column_start[index] : width();
  }
  std::size_t width() const { return column_start.empty() ? 0 : column_start.back(); }
};

DisplayLine display(std::string_view line) {
  DisplayLine out;
  std::size_t width = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    out.column_start.push_back(width);
    const auto lead = static_cast<unsigned char>(line[i]);
    std::size_t length = sequence_length(lead);
    const bool valid = i + length <= line.size() && !find_invalid_utf8(line.substr(i, length));
    if (lead == '\t') {
      out.text += kTab;
      width += kTab.size();
    } else if (!valid || lead < 0x20 || lead == 0x7F) {
      out.text += "\xEF\xBF\xBD";  // U+FFFD
      width += 1;
      if (!valid) length = 1;
    } else {
      out.text.append(line.substr(i, length));
      width += 1;
    }
    i += length;
  }
  out.column_start.push_back(width);  // the column just past the end
  return out;
}

struct Mark {
  std::uint32_t line;
  std::uint32_t first_column;
  std::uint32_t last_column;  // exclusive; on the same line as first_column
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
    if (has_footer) blank_gutter();
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
      return std::tie(a.line, a.first_column) < std::tie(b.line, b.first_column);
    });

    const Mark& anchor = is_primary_file ? mark(file, primary, true) : marks.front();
    out_ << fmt::format("{:>{}}{}{}{} {}:{}:{}\n", "", gutter_, p_.gutter,
                        is_primary_file ? "-->" : ":::", p_.reset, file.name(), anchor.line,
                        anchor.first_column);
    blank_gutter();

    std::uint32_t previous_line = 0;
    for (std::size_t i = 0; i < marks.size(); ++i) {
      const Mark& m = marks[i];
      if (m.line != previous_line) {
        if (previous_line != 0 && m.line > previous_line + 1) {
          out_ << fmt::format("{}...{}\n", p_.gutter, p_.reset);
        }
        source_line(m.line, file.line_text(m.line));
        previous_line = m.line;
      }
      underline(display(file.line_text(m.line)), m);
    }
  }

  Mark mark(const SourceFile& file, const Label& label, bool primary) const {
    const LineColumn begin = file.locate(label.span.begin);
    const LineColumn end = file.locate(label.span.end);
    // A span running onto later lines is underlined to the end of its first.
    const std::uint32_t line_end =
        static_cast<std::uint32_t>(count_code_points(file.line_text(begin.line))) + 1;
    const std::uint32_t last = end.line == begin.line ? end.column : line_end;
    return {begin.line, begin.column, std::max(last, begin.column), primary, &label.message};
  }

  void source_line(std::uint32_t number, std::string_view text) {
    out_ << fmt::format("{}{:>{}} |{}", p_.gutter, number, gutter_, p_.reset);
    const DisplayLine shown = display(text);
    if (!shown.text.empty()) out_ << ' ' << shown.text;
    out_ << '\n';
  }

  void underline(const DisplayLine& line, const Mark& m) {
    const std::size_t from = line.display_column(m.first_column);
    const std::size_t to = std::max(from + 1, line.display_column(m.last_column));
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
    const std::uint32_t line_number = file.locate(fix.span.begin).line;
    if (file.locate(fix.span.end).line != line_number) return;
    std::string fixed(file.line_text(line_number));
    const std::size_t start = fix.span.begin - file.line_offset(line_number);
    if (start > fixed.size()) return;
    fixed.replace(start, std::min<std::size_t>(fix.span.end - fix.span.begin, fixed.size() - start),
                  fix.replacement);
    footer("fix", fmt::format("`{}`", display(fixed).text));
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
