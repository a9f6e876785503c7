#include "driver/pipeline.hpp"

#include "syntax/parser.hpp"

namespace dcomm {

syntax::File check_file(const SourceMap& sources, FileId file, Diagnostics& diags) {
  return syntax::parse(sources, file, diags);
}

}  // namespace dcomm
