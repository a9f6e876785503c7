#pragma once
// `dcommc lsp`: the Language Server. It keeps the text of every open
// document, checks it with the same front end as `dcommc check` on each
// change and publishes the diagnostics; hover, go-to-definition and
// completion read the syntax trees of the document, its imports and the
// standard library (so they work while the document has errors), and
// formatting is `dcommc fmt`.

#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "resolve/loader.hpp"

namespace dcomm::lsp {

struct ServerOptions {
  resolve::LoadOptions load;
};

struct Document;  // analysis.hpp
struct Analysis;

class Server {
 public:
  explicit Server(ServerOptions options = {});
  ~Server();

  /// Handles one message body (JSON text) and returns the messages to
  /// send back, in order: the response to a request, and notifications
  /// such as publishDiagnostics. Never throws.
  std::vector<nlohmann::json> handle(const std::string& body);
  std::vector<nlohmann::json> handle(const nlohmann::json& message);

  /// After the `exit` notification: stop reading.
  bool exited() const { return exited_; }
  /// 0 if `shutdown` came before `exit`, else 1 (as the protocol says).
  int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  nlohmann::json dispatch_request(const std::string& method, const nlohmann::json& params,
                                  std::vector<nlohmann::json>& out);
  void dispatch_notification(const std::string& method, const nlohmann::json& params,
                             std::vector<nlohmann::json>& out);

  void open(const std::string& uri, std::string text, int version, std::vector<nlohmann::json>& out);
  Document* find(const nlohmann::json& params);

  /// The analysis completion falls back on while `uri` does not parse:
  /// its last resolved one, or the standard library's.
  std::shared_ptr<const Analysis> last_resolved(const std::string& uri);
  nlohmann::json formatting(const Document& doc);

  ServerOptions options_;
  std::map<std::string, std::unique_ptr<Document>> documents_;
  std::shared_ptr<const Analysis> stdlib_;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
};

/// Reads framed messages from `in` and writes the answers to `out` until
/// `exit` or the end of the input. Returns the process exit status.
int serve(std::istream& in, std::ostream& out, ServerOptions options = {});

}  // namespace dcomm::lsp
