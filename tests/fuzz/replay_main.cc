// Replays inputs through a fuzz harness without libFuzzer, so the normal
// build (and the sanitizer build of .ci/run) runs every seed and every
// regression through the same entry point the fuzzer used:
//
//   krfx_replay_extract [--limit-ms N] DIR_OR_FILE...
//
// Directories are read recursively, files in name order; names starting
// with '.' and README.md are skipped. A harness check or a sanitizer stops
// the process (non-zero exit, with the input's name printed first); an
// input slower than --limit-ms fails the run. A directory that does not
// exist is an error.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  long limit_ms = 0;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--limit-ms" && i + 1 < argc) {
      limit_ms = std::strtol(argv[++i], nullptr, 10);
      continue;
    }
    fs::path p(a);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        const std::string name = e.path().filename().string();
        if (!e.is_regular_file() || name.empty() || name[0] == '.' || name == "README.md") continue;
        found.push_back(e.path());
      }
      std::sort(found.begin(), found.end());
      inputs.insert(inputs.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      inputs.push_back(p);
    } else {
      std::fprintf(stderr, "replay: %s: no such file or directory\n", a.c_str());
      return 2;
    }
  }
  long slowest_ms = -1;
  std::string slowest;
  int too_slow = 0;
  for (const fs::path& p : inputs) {
    std::ifstream in(p, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::fprintf(stderr, "replay: %s: cannot read\n", p.c_str());
      return 2;
    }
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", p.c_str(), bytes.size());
    const auto t0 = std::chrono::steady_clock::now();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    const long ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
    if (ms > slowest_ms) slowest_ms = ms, slowest = p.string();
    if (limit_ms > 0 && ms > limit_ms) {
      std::fprintf(stderr, "replay: %s took %ld ms, over the limit of %ld ms\n", p.c_str(), ms, limit_ms);
      ++too_slow;
    }
  }
  std::printf("replayed %zu inputs; slowest %ld ms (%s)\n", inputs.size(), slowest_ms, slowest.c_str());
  return too_slow > 0 ? 1 : 0;
}
