#pragma once
// Service kinds: read from `kind "NAME" { ... }` blocks (the stdlib's and
// the user's), and instantiated for each service of that kind.

#include <map>
#include <string>
#include <vector>

#include "diag/diagnostic.hpp"
#include "model/model.hpp"
#include "resolve/body.hpp"
#include "resolve/types.hpp"

namespace dcomm::resolve {

class KindTable {
 public:
  /// Reads one kind block. Reports what is wrong with it; a kind with
  /// errors is still added, as far as it could be read.
  void add(const syntax::Item& block, bool standard, Diagnostics& diags);

  const model::Kind* find(const std::string& name) const;
  std::vector<std::string> names() const;
  const Type& attribute_type(const model::Kind& kind, const std::string& attribute) const;

  /// The containers, routes and secrets of `service`, whose attributes are
  /// already set: a kind's container and route fields may name them.
  void instantiate(model::Service& service, Diagnostics& diags) const;

  /// Hands the kinds over, repointing the services of `sites` at the
  /// returned vector; the table is empty afterwards.
  std::vector<model::Kind> take(std::vector<model::Site>& sites);

 private:
  struct Entry {
    model::Kind kind;
    std::map<std::string, Type> types;
    Body body;  ///< kept to instantiate containers and routes per service
  };

  void read_attribute(Entry& entry, const Block& block, Diagnostics& diags);

  std::vector<Entry> entries_;
};

}  // namespace dcomm::resolve
