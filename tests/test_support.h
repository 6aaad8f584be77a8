// Helpers shared by the Catch2 tests of krfx_tests.
#ifndef KRFX_TESTS_TEST_SUPPORT_H_
#define KRFX_TESTS_TEST_SUPPORT_H_

#include <krfx/engine.h>

#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace krfx_test {

// The engine of the rules in the source tree (rules/ko), loaded once for all
// tests; a rules error fails the test that first asks.
inline const krfx::Engine& engine() {
  static std::unique_ptr<krfx::Engine> e = [] {
    krfx::LoadError err;
    auto loaded = krfx::Engine::load(std::string(KRFX_SOURCE_DIR) + "/rules/ko", &err);
    if (!loaded) FAIL("rules do not load: " << err.to_string());
    return loaded;
  }();
  return *e;
}

// A file with the given contents in the temporary directory, removed when
// it goes out of scope; `suffix` decides how krfx reads it (.jsonl, .txt).
class TempFile {
 public:
  TempFile(const std::string& suffix, const std::string& contents) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("krfx_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + suffix);
    std::ofstream out(path_, std::ios::binary);
    out << contents;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// The pieces of `s` between occurrences of `sep` (an empty piece where two
// meet or at either end).
inline std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (true) {
    std::size_t e = s.find(sep, b);
    out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + sep.size();
  }
  return out;
}

// The whole file, as bytes; empty when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace krfx_test

#endif  // KRFX_TESTS_TEST_SUPPORT_H_
