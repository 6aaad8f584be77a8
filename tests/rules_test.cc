// Bad rules must stop loading with file:line:col and a clear message. Each
// directory under fixtures/bad-rules/ is one rules root whose main.rules
// opens with "# expect: FILE:LINE:COL: TEXT" (TEXT: part of the message).
#include <krfx/engine.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

TEST_CASE("bad rules files are refused with their position", "[rules]") {
  const fs::path root = fs::path(KRFX_SOURCE_DIR) / "fixtures" / "bad-rules";
  int n = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    ++n;
    const std::string dir = entry.path().string();
    std::ifstream in(entry.path() / "main.rules");
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect: ";
    REQUIRE(first.rfind(tag, 0) == 0);
    std::string expect = first.substr(tag.size());
    krfx::LoadError err;
    auto engine = krfx::Engine::load(dir, &err);
    INFO(dir);
    CHECK_FALSE(engine);
    std::string got = err.to_string();
    std::string where = expect.substr(0, expect.find(": ") + 1);
    std::string what = expect.substr(expect.find(": ") + 2);
    CHECK(got.rfind(dir + "/" + where, 0) == 0);
    CHECK(got.find(what) != std::string::npos);
  }
  CHECK(n >= 10);
}

TEST_CASE("a missing rules directory is an error, not a crash", "[rules]") {
  krfx::LoadError err;
  CHECK_FALSE(krfx::Engine::load("/nonexistent/krfx-rules", &err));
  CHECK(err.to_string().find("main.rules") != std::string::npos);
}
