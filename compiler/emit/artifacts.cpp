#include "emit/artifacts.hpp"

#include <algorithm>
#include <stdexcept>

#include "util/sha256.hpp"

namespace dcomm::emit {

namespace {

constexpr std::string_view kOpen = "@@dcommc-secret:";
constexpr std::string_view kClose = "@@";

}  // namespace

Artifact& ArtifactSet::push(std::string path, std::string content, std::string key, bool secret) {
  if (find(path)) throw std::logic_error("two emitters wrote " + path);
  std::string digest = secret ? std::string() : util::sha256_hex(content);
  artifacts_.push_back({std::move(path), std::move(content), std::move(digest), secret, std::move(key), {}});
  return artifacts_.back();
}

Artifact& ArtifactSet::add(std::string path, std::string content, std::string key) {
  return push(std::move(path), std::move(content), std::move(key), false);
}

Artifact& ArtifactSet::add_secret(std::string path, std::string content, std::string key) {
  return push("secrets/" + path, std::move(content), std::move(key), true);
}

const Artifact* ArtifactSet::find(std::string_view path) const {
  auto it = std::find_if(artifacts_.begin(), artifacts_.end(),
                         [&](const Artifact& a) { return a.path == path; });
  return it == artifacts_.end() ? nullptr : &*it;
}

void ArtifactSet::serve(const std::string& container, std::vector<model::Port> ports) {
  std::vector<model::Port>& served = served_[container];
  served.insert(served.end(), ports.begin(), ports.end());
}

std::vector<model::Port> ArtifactSet::published(const model::Container& container) const {
  const auto served = served_.find(container.name);
  if (served == served_.end()) return container.publish;
  std::vector<model::Port> out;
  for (const model::Port& port : container.publish) {
    if (std::find(served->second.begin(), served->second.end(), port) != served->second.end()) out.push_back(port);
  }
  return out;
}

std::string secret_placeholder(std::string_view name) {
  return std::string(kOpen) + std::string(name) + std::string(kClose);
}

std::string replace_placeholders(std::string_view text,
                                 const std::function<std::string(std::string_view)>& value) {
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t open = text.find(kOpen, at);
    if (open == std::string_view::npos) break;
    const std::size_t name_begin = open + kOpen.size();
    const std::size_t close = text.find(kClose, name_begin);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    out += value(text.substr(name_begin, close - name_begin));
    at = close + kClose.size();
  }
  out.append(text.substr(at));
  return out;
}

bool has_placeholder(std::string_view text) { return text.find(kOpen) != std::string_view::npos; }

}  // namespace dcomm::emit
