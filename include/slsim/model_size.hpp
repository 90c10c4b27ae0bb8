// A model's size against what must hold it and what measured it, checked while a scenario loads:
//   - the loaded model must fit in its endpoint's memory (SageMaker gives a serverless container
//     exactly MemorySizeInMB; a model larger than that cannot be served), an error;
//   - a `trees:` outside the sizes a calibration measured is predicted by extrapolating its size
//     fit, a warning that says by how much.
#pragma once

#include <cstdint>
#include <string>

#include "slsim/calibration.hpp"
#include "slsim/endpoint.hpp"

namespace slsim {

// "" when `model` fits in `memory_mb` or its loaded size is unknown (0); otherwise a message
// naming both sizes and the smallest SageMaker memory size that would hold the model (or that
// none does). Only the model is counted: the serving stack's own memory is not modelled.
std::string memory_problem(const ModelConfig& model, int memory_mb);

// "" when `trees` lies within the calibration's measured sizes (or is 0, the calibrated model);
// otherwise a warning with the extrapolation factor: trees / largest measured size above the
// range, smallest measured size / trees below it.
std::string extrapolation_warning(const Calibration& calibration, int64_t trees);

}  // namespace slsim
