// Random streams. Every stochastic source in a scenario (one endpoint's inference times, one
// traffic profile's arrivals, ...) owns its own stream, derived from (seed, replication, source
// name), so that adding an endpoint or changing one distribution does not reshuffle the numbers
// any other source draws (common random numbers across scenario variants).
//
// Generator: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
// 2021), seeded through the splitmix64 finaliser as its authors recommend. Both are specified bit
// for bit, so streams are identical on every platform and standard library, unlike
// std::*_distribution.
#pragma once

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace slsim {

// FNV-1a, 64 bit: a stable hash of a source name (std::hash is not stable across platforms).
// `h`: the hash of the bytes before `s`, to hash a file piece by piece.
constexpr uint64_t fnv1a64(std::string_view s, uint64_t h = 0xCBF29CE484222325ULL) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

// The finaliser of splitmix64 (Steele, Lea & Flood 2014): a bijection of 64-bit words with good
// avalanche, as xoshiro's authors recommend for seeding.
constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class RandomStream {
 public:
  RandomStream() : RandomStream(0, 0, "") {}
  // The 256-bit state is an injective function of (seed, replication, source hash): word 0 is a
  // bijection of the seed, word 1 of the replication, word 2 of the source, so no two
  // (seed, replication) pairs share a stream (an XOR of seed and replication would alias
  // (1, 1) with (15111065706836454658, 0)). Word 3 mixes all three, and the first outputs are
  // discarded so that nearby seeds do not start from correlated states.
  RandomStream(uint64_t seed, uint64_t replication, std::string_view source) {
    s_[0] = mix64(seed + 0x9E3779B97F4A7C15ULL);
    s_[1] = mix64(replication + 0x3C6EF372FE94F82AULL);
    s_[2] = mix64(fnv1a64(source) + 0xDAA66D2C7DDF743FULL);
    s_[3] = mix64(s_[0] ^ mix64(s_[1] ^ mix64(s_[2])));
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[3] = 1;  // xoshiro must not start at all zero
    for (int i = 0; i < 16; ++i) next_u64();
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on the open interval (0, 1): safe to pass to log().
  double uniform_open() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }

  // Standard normal and unit exponential by the ziggurat method (Marsaglia & Tsang 2000), as
  // Boost.Random implements it: a table lookup and one draw for almost every sample, no
  // logarithm or square root. Boost's code and tables are fixed, so the numbers are the same
  // on every platform (unlike std::normal_distribution).
  double standard_normal() { return boost::random::normal_distribution<double>()(*this); }
  double exponential() { return boost::random::exponential_distribution<double>()(*this); }

  // UniformRandomBitGenerator, for Boost.Random's distributions.
  using result_type = uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return next_u64(); }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace slsim
