// Bad rules must stop loading with file:line:col and a clear message. Each
// directory under fixtures/bad-rules/ is one rules root whose main.rules
// opens with "# expect: FILE:LINE:COL: TEXT" (TEXT: part of the message).
#include <krfx/engine.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
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

// The built-in rules compile their patterns on first use, or ahead on a
// second thread after prepare(); the source rules (rules/ko, the same
// files) compile them all at load. All three read a document alike, and an
// engine may go away while it is still compiling ahead.
TEST_CASE("built-in rules read alike compiled lazily, ahead or at load", "[rules]") {
  std::ifstream in(fs::path(KRFX_SOURCE_DIR) / "fixtures" / "example" / "000_0fd408c67c35800f.txt");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(text.empty());
  krfx::LoadError err;
  auto lazy = krfx::Engine::load_default(&err);
  auto ahead = krfx::Engine::load_default(&err);
  auto whole = krfx::Engine::load(std::string(KRFX_SOURCE_DIR) + "/rules/ko", &err);
  REQUIRE(lazy);
  REQUIRE(ahead);
  REQUIRE(whole);
  ahead->prepare();
  ahead->prepare();  // once is enough; a second call does nothing
  const krfx::Document doc{"example", text, "2025-03-01"};
  const auto describe = [&](const krfx::Engine& e) {
    std::string out;
    for (const krfx::Mention& m : e.extract(doc).mentions)
      out += std::to_string(m.byte_start) + "-" + std::to_string(m.byte_end) + " " + m.currency + " " +
             (m.value ? m.value->to_string() : m.low->to_string() + ".." + m.high->to_string()) + " " + m.entity +
             " " + m.action + " " + m.target + "\n";
    return out;
  };
  const std::string expected = describe(*whole);
  CHECK_FALSE(expected.empty());
  CHECK(describe(*lazy) == expected);
  CHECK(describe(*ahead) == expected);
  auto dropped = krfx::Engine::load_default(&err);
  REQUIRE(dropped);
  dropped->prepare();
  dropped.reset();
}
