// Linking quality, scored on the annotated sentences of fixtures/links/:
// dev/ and dev-styles/ (rules are tuned on them) and heldout/ (never tuned
// on). Prints
// entity, action and target accuracy per slice and fails below the floors
// in fixtures/links/floors.tsv, which only ever go up.
#include <krfx/engine.h>

#include "test_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

using krfx_test::engine;

using krfx_test::split;

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

struct Score {
  int amounts = 0, entity = 0, action = 0, target = 0, missing = 0;
  std::vector<std::string> misses;
  int percent(int n) const { return amounts ? n * 100 / amounts : 0; }
};

// Scores every line of every .tsv under `dir`. An expected amount the
// extractor does not find counts as wrong on all three.
Score score_dir(const std::string& dir) {
  Score s;
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(dir))
    if (f.path().extension() == ".tsv") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    std::ifstream in(p);
    std::string line;
    int no = 0;
    while (std::getline(in, line)) {
      ++no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      auto cols = split(line, "\t");
      if (cols.size() < 2) continue;
      auto got = engine().extract({"d", cols[0], ""}).mentions;
      std::vector<bool> used(got.size(), false);
      for (const std::string& rec : split(cols[1], " ; ")) {
        std::size_t eq = rec.find(" = ");
        if (eq == std::string::npos) continue;
        std::string text = rec.substr(0, eq);
        auto parts = split(rec.substr(eq + 3), "|");
        if (parts.size() != 3) continue;
        std::string ent = trim(parts[0]), act = trim(parts[1]), tgt = trim(parts[2]);
        ++s.amounts;
        const krfx::Mention* m = nullptr;
        for (std::size_t i = 0; i < got.size() && !m; ++i)
          if (!used[i] && got[i].text == text) m = &got[i], used[i] = true;
        std::string where = fmt::format("{}:{}", p.filename().string(), no);
        if (!m) {
          ++s.missing;
          s.misses.push_back(fmt::format("{} {}: amount not found", where, text));
          continue;
        }
        s.entity += m->entity == ent;
        s.action += m->action == act;
        s.target += m->target == tgt;
        if (m->entity != ent || m->action != act || m->target != tgt)
          s.misses.push_back(fmt::format("{} {}: want {} | {} | {}, got {} | {} | {}", where, text, ent, act, tgt,
                                         m->entity, m->action, m->target));
      }
    }
  }
  return s;
}

std::map<std::string, int> floors() {
  std::map<std::string, int> f;
  std::ifstream in(std::string(KRFX_SOURCE_DIR) + "/fixtures/links/floors.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto cols = split(line, "\t");
    if (cols.size() == 2) f[cols[0]] = std::stoi(cols[1]);
  }
  return f;
}

}  // namespace

TEST_CASE("linking accuracy on the annotated sentences", "[link]") {
  const std::string root = std::string(KRFX_SOURCE_DIR) + "/fixtures/links/";
  auto fl = floors();
  REQUIRE(!fl.empty());
  // dev: tuned on; dev-styles: harder styles (gapping, bullets, quotes),
  // tuned on; heldout: never tuned on.
  for (const char* slice : {"dev", "dev-styles", "heldout"}) {
    Score s = score_dir(root + slice);
    REQUIRE(s.amounts > 0);
    std::string report = fmt::format("links {}: {} amounts, entity {}%, action {}%, target {}% ({} not extracted)",
                                     slice, s.amounts, s.percent(s.entity), s.percent(s.action), s.percent(s.target),
                                     s.missing);
    WARN(report);
    // KRFX_LINK_MISSES=FILE writes every miss of the tuned slices there.
    if (const char* path = std::getenv("KRFX_LINK_MISSES"); path && std::string(slice) != "heldout") {
      std::ofstream out(path, std::string(slice) == "dev" ? std::ios::trunc : std::ios::app);
      for (const std::string& m : s.misses) out << slice << "/" << m << "\n";
    }
    for (const char* field : {"entity", "action", "target"}) {
      int got = std::string(field) == "entity" ? s.percent(s.entity)
                : std::string(field) == "action" ? s.percent(s.action)
                                                 : s.percent(s.target);
      std::string key = fmt::format("{}.{}", slice, field);
      INFO(report);
      CHECK(got >= fl[key]);
    }
  }
  // KRFX_LINK_EXTRA=DIR scores one more directory of annotated sentences
  // (aggregate only, no floors, no misses): a check set written before a
  // change, to see whether the change generalises.
  if (const char* extra = std::getenv("KRFX_LINK_EXTRA"); extra && *extra) {
    Score s = score_dir(extra);
    WARN(fmt::format("links {}: {} amounts, entity {}%, action {}%, target {}% ({} not extracted)", extra, s.amounts,
                     s.percent(s.entity), s.percent(s.action), s.percent(s.target), s.missing));
  }
}
