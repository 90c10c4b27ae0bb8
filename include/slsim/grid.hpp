// The configurations a sweep or plan explores: `--grid path=values` axes over any scenario key
// that `--set` can write (overrides.hpp), expanded to their Cartesian product.
//
//   --grid memory=1GB..6GB:1GB          a range: low..high:step, all three in one unit
//   --grid provisioned_concurrency=0..8 an integer range (step 1)
//   --grid max_concurrency=20,50,200    a list (values as --set takes them)
//   --grid autoscaling.target_tracking.target=0.4..0.8:0.1
//
// The last axis varies fastest; configuration numbers follow that order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace slsim {

struct GridAxis {
  std::string path;                 // the --set path
  std::vector<std::string> values;  // in order
};

// Parses one `path=values` argument; nullopt with `error` (what is wrong, the forms accepted).
std::optional<GridAxis> parse_grid_axis(const std::string& argument, std::string& error);

class Grid {
 public:
  explicit Grid(std::vector<GridAxis> axes) : axes_(std::move(axes)) {}
  const std::vector<GridAxis>& axes() const { return axes_; }
  // Number of configurations (1 for an empty grid: the scenario as it is).
  int64_t size() const;
  // Configuration `index`'s value on each axis.
  std::vector<std::string> values(int64_t index) const;
  // Its `path=value` overrides.
  std::vector<std::string> overrides(int64_t index) const;

 private:
  std::vector<GridAxis> axes_;
};

}  // namespace slsim
