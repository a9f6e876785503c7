#pragma once
// Records what the emitters really read, for emit/contract_test.cpp: each
// attribute read through model::Service::attribute and each secret named
// through SiteContext::secret or secret_file, with the kind of the service
// read. Off unless a ReadRecorder lives on the thread; the build never
// makes one, so it costs the build one test of a null pointer per read.

#include <compare>
#include <set>
#include <string>
#include <string_view>

#include "model/model.hpp"

namespace dcomm::emit {

/// One name read of a service of one kind.
struct KindRead {
  std::string kind;
  std::string name;

  auto operator<=>(const KindRead&) const = default;
};

struct ReadLog {
  std::set<KindRead> attributes;
  std::set<KindRead> secrets;
};

/// Records this thread's reads into `log` while it lives. Not nested: a
/// second recorder on the same thread is a test bug and throws.
class ReadRecorder {
 public:
  explicit ReadRecorder(ReadLog& log);
  ~ReadRecorder();
  ReadRecorder(const ReadRecorder&) = delete;
  ReadRecorder& operator=(const ReadRecorder&) = delete;
};

/// Called by SiteContext for each secret an emitter names.
void note_secret_read(const model::Service& service, std::string_view secret);

}  // namespace dcomm::emit
