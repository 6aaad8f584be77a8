#include "rules/lexicon.h"

#include <fmt/format.h>
#include <unicode/ucurr.h>
#include <unicode/uenum.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <array>

#include "link/linker.h"

namespace krfx::internal {
namespace {

// RE2 memory budget per pattern: generous for big alternations, but a rule
// set that needs more is refused with a message instead of misbehaving.
constexpr int64_t kMaxRegexMemory = 64 << 20;

RE2::Options options(bool longest) {
  RE2::Options opt;
  opt.set_log_errors(false);
  opt.set_max_mem(kMaxRegexMemory);
  opt.set_longest_match(longest);
  return opt;
}

std::unique_ptr<RE2> compile(const std::string& pattern, const SourcePos& pos, const std::string& what,
                             LoadError* error, bool longest = false) {
  auto re = std::make_unique<RE2>(pattern, options(longest));
  if (!re->ok()) {
    std::string why = re->error_code() == RE2::ErrorPatternTooLarge
                          ? "is too large for the regex memory budget (64 MiB)"
                          : fmt::format("is not a valid RE2 pattern: {} (at '{}')", re->error(), re->error_arg());
    *error = error_at(pos, fmt::format("{} {}", what, why));
    return nullptr;
  }
  return re;
}

std::optional<Decimal> parse_number_data(const std::string& s) { return Decimal::parse(s); }

Bound parse_bound(const std::string& s, bool* ok) {
  *ok = true;
  if (s == "ge") return Bound::kGe;
  if (s == "gt") return Bound::kGt;
  if (s == "le") return Bound::kLe;
  if (s == "lt") return Bound::kLt;
  *ok = false;
  return Bound::kNone;
}

class Builder {
 public:
  Builder(RuleSet rules, Lexicon* out, LoadError* error, bool lazy)
      : rules_(std::move(rules)), out_(out), error_(error), lazy_(lazy) {}

  bool run() {
    return settings() && imports() && numbers() && currencies() && qualifiers() && connectors() &&
           patterns();
  }

 private:
  bool fail(const SourcePos& pos, std::string msg) {
    *error_ = error_at(pos, std::move(msg));
    return false;
  }

  const RuleList* list(const std::string& name, bool required) {
    auto it = rules_.lists.find(name);
    if (it == rules_.lists.end()) {
      if (required) fail({"main.rules", 0, 0}, fmt::format("the rules have no list '{}', which the engine needs", name));
      return nullptr;
    }
    return &it->second;
  }

  bool settings() {
    auto it = rules_.settings.find("home_currency");
    if (it == rules_.settings.end()) return fail({"main.rules", 0, 0}, "the rules do not set home_currency");
    if (!is_iso(it->second.value))
      return fail(it->second.pos, fmt::format("'{}' is not an ISO 4217 currency code", it->second.value));
    out_->home_currency = it->second.value;
    if (auto lone = rules_.settings.find("lone_unit_max"); lone != rules_.settings.end()) {
      out_->lone_unit_max = Decimal::parse(lone->second.value);
      if (!out_->lone_unit_max)
        return fail(lone->second.pos, fmt::format("lone_unit_max needs a decimal, not '{}'", lone->second.value));
    }
    return true;
  }

  bool is_iso(const std::string& code) {
    if (iso_.empty()) load_iso();
    return iso_.count(code) > 0;
  }

  void load_iso() {
    UErrorCode st = U_ZERO_ERROR;
    UEnumeration* e = ucurr_openISOCurrencies(UCURR_ALL, &st);
    const char* code;
    while (U_SUCCESS(st) && (code = uenum_next(e, nullptr, &st)) != nullptr) iso_.insert(code);
    uenum_close(e);
  }

  // Adds the Korean CLDR display names and symbols of every currency to the
  // `currency` list, after the rules' own entries, which win.
  bool imports() {
    for (const RuleSetting& imp : rules_.imports) {
      if (imp.value.rfind("cldr-currencies ", 0) != 0)
        return fail(imp.pos, fmt::format("unknown import '{}' (known: cldr-currencies LOCALE)", imp.value));
      std::string locale = imp.value.substr(16);
      std::unordered_set<std::string> skip;
      if (const RuleList* l = list("cldr_skip", false))
        for (const ListEntry& e : l->entries) skip.insert(e.surface);
      RuleList& cur = rules_.lists["currency"];
      cur.name = "currency";
      std::unordered_set<std::string> have;
      for (const ListEntry& e : cur.entries) have.insert(squeeze(e.surface));
      if (iso_.empty()) load_iso();
      std::vector<std::string> codes(iso_.begin(), iso_.end());
      std::sort(codes.begin(), codes.end());
      for (const std::string& code : codes) {
        if (skip.count(code)) continue;
        for (UCurrNameStyle style : {UCURR_LONG_NAME, UCURR_SYMBOL_NAME}) {
          std::string name = cldr_name(code, locale, style);
          if (name.empty() || name == code || name.find('(') != std::string::npos) continue;
          if (!have.insert(squeeze(name)).second) continue;
          cur.entries.push_back(ListEntry{name, code, imp.pos, imp.pos});
        }
      }
    }
    return true;
  }

  static std::string cldr_name(const std::string& code, const std::string& locale, UCurrNameStyle style) {
    UChar uc[4];
    u_charsToUChars(code.c_str(), uc, 3);
    uc[3] = 0;
    UBool is_choice = false;
    int32_t len = 0;
    UErrorCode st = U_ZERO_ERROR;
    const UChar* name = ucurr_getName(uc, locale.c_str(), style, &is_choice, &len, &st);
    // A fallback to the root locale gives the code or an English name, not
    // the locale's own word for it.
    if (U_FAILURE(st) || st == U_USING_DEFAULT_WARNING || name == nullptr) return "";
    std::string out;
    icu::UnicodeString(name, len).toUTF8String(out);
    return out;
  }

  bool numbers() {
    for (const char* name : {"digit", "small_unit", "big_unit", "native_unit", "native_tens", "named_number",
                             "scale_word"}) {
      const RuleList* l = list(name, std::string(name) == "digit" || std::string(name) == "big_unit");
      if (!l) {
        if (!error_->message.empty()) return false;
        continue;
      }
      for (const ListEntry& e : l->entries) {
        auto v = parse_number_data(e.data);
        if (!v) return fail(e.data.empty() ? e.pos : e.data_pos,
                            fmt::format("'{}' in list '{}' needs a decimal value after '='", e.surface, name));
        out_->numbers[squeeze(e.surface)] = *v;
      }
    }
    if (const RuleList* l = list("vague", false)) {
      for (const ListEntry& e : l->entries) {
        std::size_t dots = e.data.find("..");
        auto lo = dots == std::string::npos ? std::nullopt : Decimal::parse(e.data.substr(0, dots));
        auto hi = dots == std::string::npos ? std::nullopt : Decimal::parse(e.data.substr(dots + 2));
        if (!lo || !hi || !(*lo < *hi))
          return fail(e.data.empty() ? e.pos : e.data_pos,
                      fmt::format("'{}' in list 'vague' needs a range LOW..HIGH with LOW < HIGH", e.surface));
        out_->vague[squeeze(e.surface)] = {*lo, *hi};
      }
    }
    return true;
  }

  bool currency_list(const char* name, WordMap<CurrencyWord>* into) {
    const RuleList* l = list(name, true);
    if (!l) return false;
    for (const ListEntry& e : l->entries) {
      std::size_t sp = e.data.find(' ');
      std::string code = e.data.substr(0, sp);
      if (!is_iso(code))
        return fail(e.data.empty() ? e.pos : e.data_pos,
                    fmt::format("'{}' in list '{}': '{}' is not an ISO 4217 currency code", e.surface, name, code));
      CurrencyWord w{code, Decimal(1)};
      if (sp != std::string::npos) {
        auto f = Decimal::parse(e.data.substr(sp + 1));
        if (!f || f->is_zero() || f->is_negative())
          return fail(e.data_pos, fmt::format("'{}' in list '{}': the fraction after the code must be a positive decimal",
                                              e.surface, name));
        w.factor = *f;
      }
      into->emplace(squeeze(e.surface), w);
    }
    return true;
  }

  bool currencies() {
    out_->iso_codes = iso_;
    return currency_list("currency", &out_->currency) && currency_list("currency_prefix", &out_->currency_prefix);
  }

  bool qualifier_list(const char* name, WordMap<Qualifier>* into) {
    const RuleList* l = list(name, true);
    if (!l) return false;
    for (const ListEntry& e : l->entries) {
      Qualifier q;
      if (e.data == "approx") {
        q.approx = true;
      } else {
        bool ok;
        q.bound = parse_bound(e.data, &ok);
        if (!ok)
          return fail(e.data.empty() ? e.pos : e.data_pos,
                      fmt::format("'{}' in list '{}' needs one of approx, ge, gt, le, lt", e.surface, name));
      }
      into->emplace(squeeze(e.surface), q);
    }
    return true;
  }

  bool qualifiers() {
    return qualifier_list("prefix_qualifier", &out_->prefix_qualifier) &&
           qualifier_list("suffix_qualifier", &out_->suffix_qualifier);
  }

  bool connectors() {
    const RuleList* l = list("range_connector", true);
    if (!l) return false;
    for (const ListEntry& e : l->entries) {
      Lexicon::Connector c;
      std::size_t at = 0;
      while (at < e.data.size()) {
        std::size_t sp = e.data.find(' ', at);
        std::string opt = e.data.substr(at, sp == std::string::npos ? std::string::npos : sp - at);
        at = sp == std::string::npos ? e.data.size() : sp + 1;
        if (opt.rfind("closer=", 0) == 0 && opt.size() > 7) {
          c.closer = opt.substr(7);
        } else if (opt.rfind("not_before=", 0) == 0 && opt.size() > 11) {
          std::string words = opt.substr(11);
          for (std::size_t b = 0; b <= words.size();) {
            std::size_t comma = words.find(',', b);
            if (comma == std::string::npos) comma = words.size();
            if (comma > b) c.not_before.push_back(words.substr(b, comma - b));
            b = comma + 1;
          }
        } else {
          return fail(e.data_pos, fmt::format("'{}' in list 'range_connector': unknown option '{}' "
                                              "(known: closer=WORD, not_before=W1,W2)", e.surface, opt));
        }
      }
      out_->connectors[squeeze(e.surface)] = std::move(c);
    }
    return true;
  }

  // The pattern of a list as a whole-input alternative, into *into.
  bool list_re(LazyRE2* into, const char* name, const std::string& before, const std::string& after,
               bool required) {
    const RuleList* l = list(name, required);
    if (!l) return false;
    if (l->entries.empty()) return fail(l->pos, fmt::format("list '{}' is empty", name));
    return compile_into(into, before + list_pattern(*l) + after, l->pos, fmt::format("list '{}'", name));
  }

  bool optional_list_re(const char* name, LazyRE2* into) {
    if (!list(name, false)) return true;
    return list_re(into, name, "", "", false);
  }

  std::vector<std::string> surfaces(const char* name) {
    std::vector<std::string> out;
    if (const RuleList* l = list(name, false))
      for (const ListEntry& e : l->entries) out.push_back(e.surface);
    return out;
  }

  bool link_words() {
    LinkWords& w = out_->link;
    const RuleList* actions = list("action", false);
    if (!actions) return true;  // rules without linking knowledge
    const std::pair<const char*, Particle> roles[] = {
        {"particle_topic", Particle::kTopic},       {"particle_subject", Particle::kSubject},
        {"particle_object", Particle::kObject},     {"particle_dative", Particle::kDative},
        {"particle_conjunct", Particle::kConjunct}, {"particle_other", Particle::kOther},
        {"particle_source", Particle::kSource},     {"particle_genitive", Particle::kGenitive},
        {"particle_locative", Particle::kLocative},
    };
    for (const auto& [name, role] : roles)
      for (const std::string& p : surfaces(name)) {
        w.particles.emplace(p, role);
        w.longest_particle = std::max(w.longest_particle, p.size());
      }
    if (!compile_into(&w.action, list_pattern(*actions), actions->pos, "list 'action'")) return false;
    std::string suffix = "";
    if (const RuleList* ms = list("metric_suffix", false)) suffix = "(?:" + list_pattern(*ms) + ")?";
    if (!compile_into(&w.action_tail, list_pattern(*actions) + suffix + "$", actions->pos, "list 'action'"))
      return false;
    for (const ListEntry& e : actions->entries) w.action_name[e.surface] = e.data.empty() ? e.surface : e.data;
    // Lists the linker asks "is this word in it?": one word set each.
    const std::pair<const char*, WordSet LinkWords::*> sets[] = {
        {"not_entity", &LinkWords::not_entities},
        {"phrase_stop", &LinkWords::phrase_stops},
        {"classifier_noun", &LinkWords::classifiers},
        {"generic_head", &LinkWords::generic_heads},
        {"topic_word", &LinkWords::topic_words},
        {"respectively", &LinkWords::respectively},
        {"priced_noun", &LinkWords::priced_nouns},
        {"personal_action", &LinkWords::personal_actions},
        {"unsplit_word", &LinkWords::unsplit_words},
        {"source_follower", &LinkWords::source_followers},
        {"cleft_head", &LinkWords::cleft_heads},
        {"clause_ending_exception", &LinkWords::clause_exceptions},
        {"not_target", &LinkWords::not_targets},
        {"clause_word", &LinkWords::clause_words},
        {"clause_noun", &LinkWords::clause_nouns},
        {"place_target_action", &LinkWords::place_actions},
        {"traded_thing_action", &LinkWords::traded_thing_actions},
        {"given_name", &LinkWords::given_names},
        {"surname", &LinkWords::surnames},
        {"title_prefix", &LinkWords::title_prefixes},
        {"recipient_passive", &LinkWords::recipient_passives},
        {"owned_metric", &LinkWords::owned_metrics},
        {"counter_noun", &LinkWords::counters},
        {"compound_target_action", &LinkWords::compound_actions},
        {"no_place_action", &LinkWords::no_place_actions},
        {"weak_action", &LinkWords::weak_actions},
        {"means_noun", &LinkWords::means_nouns},
        {"member_noun", &LinkWords::member_nouns},
        {"weak_particle", &LinkWords::weak_particles},
    };
    for (const auto& [name, member] : sets)
      for (std::string& x : surfaces(name)) (w.*member).insert(std::move(x));
    w.passive_endings = surfaces("passive_ending");
    w.company_marks = surfaces("company_mark");
    w.copula_endings = surfaces("copula_ending");
    std::stable_sort(w.copula_endings.begin(), w.copula_endings.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    w.connective_syllables = surfaces("connective_syllable");
    w.org_suffixes = surfaces("org_suffix");
    w.titles = surfaces("title");
    for (const std::string& x : surfaces("clause_ending")) {
      w.clause_endings.insert(x);
      w.longest_ending = std::max(w.longest_ending, x.size());
    }
    w.personal_verbs = surfaces("personal_verb");
    w.quote_endings = surfaces("quote_ending");
    w.office_titles = surfaces("office_title");
    w.time_suffixes = surfaces("time_suffix");
    w.linked_endings = surfaces("linked_ending");
    w.unit_suffixes = surfaces("unit_suffix");
    w.verb_stem_endings = surfaces("verb_stem_ending");
    for (const std::string& x : w.titles) w.title_set.insert(x);
    w.index = index_link_words(w);
    w.enabled = true;
    return true;
  }

  bool rate_patterns() {
    const RuleList* cur = list("currency", true);
    const RuleList* per = list("per_unit", true);
    const RuleList* word = list("rate_word", true);
    if (!cur || !per || !word) return false;
    // Most amounts have no per-word before them: the currency list in the
    // pattern (its biggest part, twice over since a pattern ending in $ is
    // run backwards) is compiled only when a window ends in one.
    LazyRE2 guard, full;
    if (!compile_into(&guard, list_pattern(*per) + "$", per->pos, "list 'per_unit'") ||
        !compile_into(&full, "(" + list_pattern(*cur) + ") ?" + list_pattern(*per) + "$", per->pos,
                      "list 'per_unit'"))
      return false;
    out_->per_tail = GuardedRE2(std::move(guard), std::move(full));
    return compile_into(&out_->rate_word_re, list_pattern(*word), word->pos, "list 'rate_word'");
  }

  bool patterns() {
    // One capture group per token class; longest match decides between
    // words that share a beginning (i / isang).
    struct Part {
      const char* list;
      Tok tok;
    };
    const Part parts[] = {
        {"digit", Tok::kDigit},           {"small_unit", Tok::kSmallUnit},   {"big_unit", Tok::kBigUnit},
        {"point", Tok::kPoint},           {"vague", Tok::kVague},            {"approx_infix", Tok::kApproxInfix},
        {"native_unit", Tok::kNativeUnit}, {"native_tens", Tok::kNativeTens}, {"minus", Tok::kMinus},
        {"fraction_of", Tok::kFractionOf}, {"fraction_and", Tok::kFractionAnd}, {"named_number", Tok::kNamed},
        {"ordinal_suffix", Tok::kOrdinal},
    };
    std::string arabic;
    if (!expand_define(rules_, "arabic", &arabic, error_)) return false;
    std::string tok = "(?:" + arabic + ")";
    std::vector<std::string_view> surfaces;
    for (const Part& p : parts) {
      const RuleList* l = list(p.list, false);
      if (!l || l->entries.empty()) continue;
      if (!lazy_) tok += "|" + list_pattern(*l);
      // The class of the word found comes from a table (numeral lists first).
      for (const ListEntry& e : l->entries) {
        out_->token_class.emplace(squeeze(e.surface), p.tok);
        surfaces.push_back(e.surface);
      }
    }
    // Words that are not numerals but begin like one stop a numeral there.
    for (const char* name : {"currency", "suffix_qualifier", "counter", "currency_follow", "range_connector",
                             "prefix_qualifier"}) {
      const RuleList* l = list(name, false);
      if (!l || l->entries.empty()) continue;
      if (!lazy_) tok += "|" + list_pattern(*l);
      for (const ListEntry& e : l->entries) {
        out_->token_class.emplace(squeeze(e.surface), Tok::kOther);
        surfaces.push_back(e.surface);
      }
    }
    // Each word is tagged with its entry in token_words, one per squeezed
    // form (the class the table gives it, and its value), so that a word
    // found needs no lookup.
    WordTrie words;
    std::size_t bytes = 0;
    for (std::string_view w : surfaces) bytes += w.size();
    words.reserve(bytes);
    WordMap<int> tags;
    for (std::string_view w : surfaces) {
      std::string key = squeeze(w);
      auto [it, fresh] = tags.emplace(key, static_cast<int>(out_->token_words.size()));
      if (fresh) {
        auto value = out_->numbers.find(key);
        out_->token_words.push_back(
            {out_->token_class.at(key), value == out_->numbers.end() ? nullptr : &value->second});
      }
      words.add(w, it->second);
    }
    SourcePos where = rules_.defines.at("arabic").body_pos;
    // The whole pattern, as one regex, is compiled only to check it (rules
    // from a directory), so a mistake is reported as it always was.
    if (!lazy_ && !compile(tok, where, "the numeral token pattern", error_, /*longest=*/true)) return false;
    // The figure pattern alone is small: compiled now, its range of first
    // bytes is known before the first probe. Its group is what Match()
    // asks for (see there).
    auto figures = compile("(" + arabic + ")", where, "the numeral token pattern", error_, /*longest=*/true);
    if (!figures) return false;
    unsigned char first_lo = 0, first_hi = 255;
    std::string min, max;
    if (figures->PossibleMatchRange(&min, &max, 1)) {
      if (!min.empty()) first_lo = static_cast<unsigned char>(min[0]);
      if (!max.empty()) first_hi = static_cast<unsigned char>(max[0]);
    }
    out_->token = TokenPattern(LazyRE2(std::move(figures)), first_lo, first_hi, std::move(words));

    // Every definition must expand and compile, used by the engine or not,
    // so a mistake shows at load time with its position (lazily built rules
    // are known to be good: their unused definitions are only expanded).
    for (const auto& [name, def] : rules_.defines) {
      if (name == "scan") continue;  // compiled for use just below, with the same message
      std::string pattern;
      if (!expand_define(rules_, name, &pattern, error_)) return false;
      if (!lazy_ && !compile(pattern, def.body_pos, fmt::format("define {}", name), error_)) return false;
    }
    std::string scan;
    if (!expand_define(rules_, "scan", &scan, error_)) return false;
    if (!compile_into(&out_->scan, scan, rules_.defines.at("scan").body_pos, "define scan")) return false;

    // One group around the whole list: the same compiled pattern serves
    // anchored matches and FindAndConsume (a currency word anywhere).
    return list_re(&out_->currency_re, "currency", "(", ")", true) &&
           list_re(&out_->prefix_re, "currency_prefix", "", "", true) &&
           compile_into(&out_->iso_re, "[A-Z]{3}", {}, "iso") &&
           list_re(&out_->scale_re, "scale_word", "", "\\b", true) &&
           list_re(&out_->suffix_q_re, "suffix_qualifier", "", "", true) &&
           list_re(&out_->connector_re, "range_connector", "", "", true) &&
           list_re(&out_->band_re, "band_suffix", "", "", true) &&
           list_re(&out_->follow_re, "currency_follow", "", "", true) &&
           list_re(&out_->veto_re, "veto", "", "", true) &&
           list_re(&out_->counter_re, "counter", "", "", true) &&
           list_re(&out_->prefix_q_tail, "prefix_qualifier", "", "$", true) &&
           list_re(&out_->attach_tail, "attach_prefix", "", "$", true) &&
           list_re(&out_->sign_tail, "negative_sign", "", "$", true) &&
           optional_list_re("restatement_label", &out_->label_re) && rate_patterns() && link_words() &&
           edge_bytes();
  }

  bool edge_bytes() {
    auto edges = [&](const char* name, bool last, ByteSet* into) {
      if (const RuleList* l = list(name, false))
        for (const ListEntry& e : l->entries)
          if (!e.surface.empty()) into->add(static_cast<unsigned char>(last ? e.surface.back() : e.surface.front()));
    };
    const auto words = [&](const char* name, WordTrie* into) {
      const RuleList* l = list(name, false);
      if (!l) return;
      std::size_t bytes = 0;
      for (const ListEntry& e : l->entries) bytes += e.surface.size();
      into->reserve(bytes);
      for (const ListEntry& e : l->entries) into->add(e.surface);
    };
    // A currency word is tagged with its entry in currency_tags, one per
    // squeezed form.
    if (const RuleList* l = list("currency", false)) {
      std::size_t bytes = 0;
      for (const ListEntry& e : l->entries) bytes += e.surface.size();
      out_->currency_words.reserve(bytes);
      WordMap<int> tags;
      for (const ListEntry& e : l->entries) {
        std::string key = squeeze(e.surface);
        auto word = out_->currency.find(key);
        if (word == out_->currency.end()) {
          out_->currency_words.add(e.surface, -1);
          continue;
        }
        auto [it, fresh] = tags.emplace(key, static_cast<int>(out_->currency_tags.size()));
        if (fresh) out_->currency_tags.push_back(&word->second);
        out_->currency_words.add(e.surface, it->second);
      }
    }
    words("suffix_qualifier", &out_->suffix_q_words);
    words("band_suffix", &out_->band_words);
    words("currency_follow", &out_->follow_words);
    words("range_connector", &out_->connector_words);
    words("rate_word", &out_->rate_words);
    words("currency_prefix", &out_->prefix_words);
    words("veto", &out_->veto_words);
    const auto reversed = [&](const char* name, WordTrie* into) {
      if (const RuleList* l = list(name, false))
        for (const ListEntry& e : l->entries) into->add_reversed(e.surface);
    };
    reversed("prefix_qualifier", &out_->prefix_q_words);
    reversed("attach_prefix", &out_->attach_words);
    reversed("negative_sign", &out_->sign_words);
    edges("scale_word", false, &out_->scale_first);
    edges("prefix_qualifier", true, &out_->prefix_q_last);
    edges("attach_prefix", true, &out_->attach_last);
    edges("negative_sign", true, &out_->sign_last);
    // A trailing space in a word is optional in its pattern, so the byte
    // before it may end a match too.
    if (const RuleList* l = list("per_unit", false))
      for (const ListEntry& e : l->entries) {
        std::size_t n = e.surface.size();
        if (n > 0) out_->per_last.add(static_cast<unsigned char>(e.surface[n - 1]));
        while (n > 0 && e.surface[n - 1] == ' ') --n;
        if (n > 0) out_->per_last.add(static_cast<unsigned char>(e.surface[n - 1]));
      }
    if (const RuleList* l = list("rate_word", false))
      for (const ListEntry& e : l->entries) {
        std::size_t n = 0;
        if (n < e.surface.size()) out_->rate_first.add(static_cast<unsigned char>(e.surface[n]));
        while (n < e.surface.size() && e.surface[n] == ' ') ++n;
        if (n < e.surface.size()) out_->rate_first.add(static_cast<unsigned char>(e.surface[n]));
      }
    return true;
  }

  // Compiles `pattern` into *into now, or, lazily, when first used.
  bool compile_into(LazyRE2* into, std::string pattern, const SourcePos& pos, const std::string& what,
                    bool longest = false) {
    if (lazy_) {
      *into = LazyRE2::later(std::move(pattern), options(longest));
      return true;
    }
    auto re = compile(pattern, pos, what, error_, longest);
    if (!re) return false;
    *into = LazyRE2(std::move(re));
    return true;
  }

  RuleSet rules_;
  Lexicon* out_;
  LoadError* error_;
  bool lazy_;
  WordSet iso_;
};

}  // namespace

std::string squeeze(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != ' ') out.push_back(c);
  return out;
}

LazyRE2::LazyRE2(std::unique_ptr<RE2> compiled) : state_(std::make_unique<State>()) {
  state_->re = std::move(compiled);
  state_->ready.store(state_->re.get(), std::memory_order_release);
}

LazyRE2 LazyRE2::later(std::string pattern, const RE2::Options& options) {
  LazyRE2 out;
  out.state_ = std::make_unique<State>();
  out.state_->pattern = std::move(pattern);
  out.state_->options = options;
  return out;
}

const RE2* LazyRE2::compile() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (!state_->re) {
    state_->re = std::make_unique<RE2>(state_->pattern, state_->options);
    state_->ready.store(state_->re.get(), std::memory_order_release);
  }
  return state_->re.get();
}

void WordTrie::add_reversed(std::string_view surface) { add(std::string(surface.rbegin(), surface.rend())); }

void WordTrie::add(std::string_view surface, int tag) {
  int at = 0;
  for (char ch : surface) {
    const auto c = static_cast<unsigned char>(ch);
    int next = c == ' ' ? nodes_[static_cast<std::size_t>(at)].space : child(at, c);
    if (next < 0) {
      next = static_cast<int>(nodes_.size());
      nodes_.emplace_back();
      Node& from = nodes_[static_cast<std::size_t>(at)];
      if (c == ' ') {
        from.space = next;
      } else {
        if (from.dense < 0 && static_cast<std::size_t>(from.children) == kInline) {
          from.dense = static_cast<int>(dense_.size());
          dense_.emplace_back();
          dense_.back().fill(-1);
          for (std::size_t i = 0; i < kInline; ++i) dense_.back()[from.byte[i]] = from.to[i];
        }
        if (from.dense >= 0) {
          dense_[static_cast<std::size_t>(from.dense)][c] = next;
        } else {
          from.byte[static_cast<std::size_t>(from.children)] = c;
          from.to[static_cast<std::size_t>(from.children)] = next;
          ++from.children;
        }
      }
    }
    at = next;
  }
  nodes_[static_cast<std::size_t>(at)].word = true;
  nodes_[static_cast<std::size_t>(at)].tag = tag;
}

namespace {

// A few trie nodes, without allocating unless there are many.
class NodeSet {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  int operator[](std::size_t i) const { return i < kInline ? inline_[i] : more_[i - kInline]; }
  void clear() {
    size_ = 0;
    more_.clear();
  }
  // False when `n` is there already.
  bool insert(int n) {
    for (std::size_t i = 0; i < size_; ++i)
      if ((*this)[i] == n) return false;
    if (size_ < kInline) inline_[size_] = n;
    else more_.push_back(n);
    ++size_;
    return true;
  }
  void swap(NodeSet& o) {
    std::swap(inline_, o.inline_);
    std::swap(size_, o.size_);
    more_.swap(o.more_);
  }

 private:
  static constexpr std::size_t kInline = 8;
  std::array<int, kInline> inline_{};
  std::size_t size_ = 0;
  std::vector<int> more_;
};

}  // namespace

template <bool kBack>
std::size_t WordTrie::walk_spaced(std::string_view text, std::size_t pos, std::size_t n, int at, std::size_t i,
                                  std::size_t best, int best_node, int* tag) const {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(kBack ? text[pos - 1 - k] : text[pos + k]); };
  // The nodes reached so far, each with those after its optional spaces
  // (a space may be left out).
  NodeSet states, next;
  const auto add = [this](NodeSet* into, int node) {
    for (; node >= 0 && into->insert(node);) node = nodes_[static_cast<std::size_t>(node)].space;
  };
  add(&states, at);
  for (; i < n && !states.empty(); ++i) {
    const unsigned char c = byte(i);
    next.clear();
    for (std::size_t k = 0; k < states.size(); ++k) {
      const int to = c == ' ' ? nodes_[static_cast<std::size_t>(states[k])].space : child(states[k], c);
      if (to >= 0) add(&next, to);
    }
    states.swap(next);
    for (std::size_t k = 0; k < states.size(); ++k)
      if (nodes_[static_cast<std::size_t>(states[k])].word) {
        best = i + 1;
        best_node = states[k];
      }
  }
  if (tag && best_node >= 0) *tag = nodes_[static_cast<std::size_t>(best_node)].tag;
  return best;
}

template std::size_t WordTrie::walk_spaced<false>(std::string_view, std::size_t, std::size_t, int, std::size_t,
                                                  std::size_t, int, int*) const;
template std::size_t WordTrie::walk_spaced<true>(std::string_view, std::size_t, std::size_t, int, std::size_t,
                                                 std::size_t, int, int*) const;

bool TokenPattern::Match(const re2::StringPiece& text, std::size_t startpos, std::size_t endpos, RE2::Anchor anchor,
                         re2::StringPiece* submatch, int nsubmatch, int* word_tag) const {
  re2::StringPiece m;
  bool figure = false;
  // An empty rest: only an empty figure could match, as before.
  if (startpos == endpos || (static_cast<unsigned char>(text[startpos]) >= first_lo_ &&
                             static_cast<unsigned char>(text[startpos]) <= first_hi_)) {
    // Asked for a group of a short text, RE2 reads it with its one-pass
    // matcher (the figure pattern is one-pass), which takes no lock and
    // builds no DFA state: well under half the DFA's time on a figure.
    // The text is cut to start one byte before the figure, all the
    // context RE2's assertions (\b, ^) look at.
    const std::size_t from = startpos > 0 ? startpos - 1 : 0;
    re2::StringPiece groups[2];
    figure = figures_->Match(re2::StringPiece(text.data() + from, text.size() - from), startpos - from,
                             endpos - from, anchor, groups, 2);
    m = groups[0];
  }
  int tag = -1;
  const std::size_t word = words_.longest_at(std::string_view(text.data(), text.size()), startpos, endpos, &tag);
  if (!figure && word == 0) return false;
  if (word > 0 && (!figure || word > m.size())) m = re2::StringPiece(text.data() + startpos, word);
  if (word_tag) *word_tag = word > 0 && word == m.size() ? tag : -1;
  if (nsubmatch > 0) submatch[0] = m;
  return true;
}

void Lexicon::compile_ahead(const std::atomic<bool>& stop) const {
  // The small patterns first: an article needs several of them as soon as
  // its first amounts are read, each in well under 0.1 ms, while the
  // currency list (over a millisecond, for CLDR's hundreds of names) is
  // asked for only where a currency word has a space in it.
  const LazyRE2* order[] = {&prefix_re,   &iso_re,       &token.numerals(), &scale_re,      &sign_tail,
                            &attach_tail, &veto_re,      &band_re,          &follow_re,     &counter_re,
                            &connector_re, &label_re,    &prefix_q_tail,    &suffix_q_re,   &per_tail.guard(),
                            &rate_word_re, &link.action_tail, &link.action, &currency_re};
  for (const LazyRE2* re : order) {
    if (stop.load(std::memory_order_relaxed)) return;
    re->get();
  }
}

bool Lexicon::build(const RuleSet& rules, Lexicon* out, LoadError* error, bool lazy) {
  return build(RuleSet(rules), out, error, lazy);
}

bool Lexicon::build(RuleSet&& rules, Lexicon* out, LoadError* error, bool lazy) {
  *error = LoadError{};
  Builder b(std::move(rules), out, error, lazy);
  return b.run();
}

}  // namespace krfx::internal
