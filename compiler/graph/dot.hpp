#pragma once
// The deployment as a picture, in Graphviz DOT: sites, their nodes with
// labels, the services placed on each with their ports, public routes and
// onion addresses, and what needs what.

#include <string>

#include "model/model.hpp"

namespace dcomm::graph {

std::string to_dot(const model::Federation& federation);

}  // namespace dcomm::graph
