#include "emit/contract.hpp"

#include <stdexcept>

namespace dcomm::emit {

namespace {

/// The log of the recorder alive on this thread, if any.
thread_local ReadLog* active_log = nullptr;

std::string kind_of(const model::Service& service) { return service.kind ? service.kind->name : std::string(); }

void note_attribute_read(const model::Service& service, const std::string& attribute) {
  if (active_log) active_log->attributes.insert({kind_of(service), attribute});
}

}  // namespace

ReadRecorder::ReadRecorder(ReadLog& log) {
  if (active_log) throw std::logic_error("ReadRecorder: one is already recording on this thread");
  active_log = &log;
  model::set_attribute_read_hook(note_attribute_read);
}

ReadRecorder::~ReadRecorder() {
  model::set_attribute_read_hook(nullptr);
  active_log = nullptr;
}

void note_secret_read(const model::Service& service, std::string_view secret) {
  if (active_log) active_log->secrets.insert({kind_of(service), std::string(secret)});
}

}  // namespace dcomm::emit
