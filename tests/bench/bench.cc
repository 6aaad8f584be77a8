// krfx_bench: throughput of the engine on generated Korean news-like text.
//
// It generates a deterministic corpus (fixed seed, own PRNG, own sentence
// templates) and reports, in one run, end-to-end extract speed next to the
// speed of a bare RE2 scan with the engine's own scanning pattern over the
// same documents. Machines differ and timings are noisy, so the ratio of the
// two, measured in one process on one corpus, is the figure to watch.
// tests/bench/README.md describes the corpus, the flags and every row.
//
// All arithmetic is on integers: durations in nanoseconds, sizes in bytes,
// and rates are printed as fixed-point decimals (bytes * 1000 / ns = MB/s).
#include <krfx/engine.h>
#include <krfx/input.h>
#include <krfx/mention.h>
#include <krfx/output.h>

#include <fmt/format.h>
#include <re2/re2.h>
#include <sys/resource.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "link/linker.h"
#include "link/sentences.h"
#include "normalize/normalize.h"
#include "rules/embedded.h"
#include "rules/lexicon.h"
#include "rules/rule_file.h"
#include "scan/scanner.h"
#include "structure/structure.h"

namespace {

// ---------------------------------------------------------------------------
// Deterministic randomness

// splitmix64: tiny, fast and identical on every platform and standard
// library, so a seed names one corpus everywhere (std::mt19937 would be too,
// but the std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); the modulo bias is negligible for the small n used here.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in [lo, hi].
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + below(hi - lo + 1); }
  bool percent(std::uint64_t p) { return below(100) < p; }

  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

// ---------------------------------------------------------------------------
// Word lists and sentence templates (written for this benchmark)

constexpr std::array<std::string_view, 30> kCompanies = {
    "삼성전자",   "SK하이닉스",     "현대차",         "기아",       "LG에너지솔루션", "카카오",
    "네이버",     "포스코홀딩스",   "한화오션",       "셀트리온",   "쿠팡",           "두산에너빌리티",
    "롯데케미칼", "신한금융지주",   "KB금융",         "하나금융지주", "CJ제일제당",   "아모레퍼시픽",
    "대한항공",   "HD현대중공업",   "삼성바이오로직스", "크래프톤", "엔씨소프트",     "한국전력",
    "에코프로비엠", "한미반도체",   "삼성SDI",        "LG화학",     "현대모비스",     "고려아연",
};

constexpr std::array<std::string_view, 10> kForeignCompanies = {
    "엔비디아", "애플", "마이크로소프트", "테슬라", "아마존", "알파벳", "인텔", "퀄컴", "브로드컴", "오픈AI",
};

constexpr std::array<std::string_view, 12> kPeople = {
    "김민준", "이서연", "박지훈", "최수아", "정우진", "강하은",
    "조현우", "윤지민", "장도윤", "임채원", "한승민", "오예린",
};

constexpr std::array<std::string_view, 12> kKoreanCities = {
    "서울", "부산", "인천", "대구", "광주", "대전", "울산", "세종", "평택", "용인", "청주", "창원",
};

constexpr std::array<std::string_view, 16> kPlaces = {
    "서울",      "부산",        "인천",         "울산",          "평택",          "용인",
    "청주",      "포항",        "구미",         "미국 텍사스",   "미국 애리조나", "베트남 하노이",
    "헝가리 괴드", "인도네시아 자카르타", "폴란드 브로츠와프", "멕시코 몬테레이",
};

constexpr std::array<std::string_view, 15> kSectors = {
    "반도체", "2차전지", "바이오",   "조선",   "방산",   "인공지능(AI)", "데이터센터", "전기차",
    "수소",   "원전",    "디스플레이", "로봇", "우주항공", "게임",     "콘텐츠",
};

// Sentences that carry at least one amount. Placeholders are described at
// Generator::fill; {은}, {이}, {을}, {와}, {으로} and {이다} pick the particle
// that fits the word before them.
constexpr std::array<std::string_view, 52> kAmountSentences = {
    "{co}{은} {year} {qtr} 영업이익이 {krw}{으로} 전년 동기보다 {pct} 늘었다고 {mon} {day} 공시했다.",
    "{co}{은} {place}에 {pq}{usd}{을} 투자해 {sector} 공장을 새로 짓기로 했다.",
    "이번 계약 규모는 {conv}{으로}, 회사 설립 이후 단일 계약으로는 가장 크다.",
    "{person} {co} 대표는 “앞으로 {n}년간 {krw}{을} {sector} 분야에 투입하겠다”고 말했다.",
    "정부는 {sector} 산업을 키우기 위해 {year}까지 {range}의 예산을 편성할 방침이다.",
    "업계에서는 {co}의 인수 가격이 {band} 수준에 이를 것으로 본다.",
    "{co} 주가는 이날 {pct} 오른 {price}원에 장을 마쳤다.",
    "{co}{은} 임직원 {people}에게 1인당 {pq}{small_krw}의 성과급을 나눠 준다.",
    "{co}의 시가총액은 {krw}{을} 넘어서며 유가증권시장 {n}위로 올라섰다.",
    "{co}{은} {en} 규모의 글로벌 채권을 발행했다고 밝혔다.",
    "{kcity} 아파트 평균 매매가는 {home}{으로} 지난해보다 {pct} 올랐다.",
    "{co}{와} {co2}{은} {fx} 규모의 합작 법인을 세우기로 합의했다.",
    "소송에서 질 경우 {co}{이} 물어야 할 배상금은 {pq}{usd}{sq}에 달할 수 있다.",
    "공정거래위원회는 {co}에 과징금 {krw}{을} 부과하고 법인을 검찰에 고발했다.",
    "올해 {sector} 수출액은 {usd}{으로} 집계돼 역대 최대치를 새로 썼다.",
    "{co}{은} {year} 매출 목표를 {pq}{krw}{으로} 제시했다.",
    "{co} 노사는 기본급 {small_krw} 인상과 일시금 {small_krw} 지급에 잠정 합의했다.",
    "이 펀드의 운용 자산은 {conv}에 이른다.",
    "{co}{은} 자사주 {krw} 어치를 사들여 전량 소각하겠다고 발표했다.",
    "국회 예산정책처는 법안이 시행되면 해마다 {range}의 세수가 줄어들 것으로 추산했다.",
    "{co}의 {qtr} 순손실은 {fx}{으로} 시장 전망치를 밑돌았다.",
    "{person} 장관은 {kcity}{을} 찾아 {band} 규모의 추가 지원책을 내놨다.",
    "{co}{은} {co2} 지분 {pct}{을} {pq}{krw}에 인수했다.",
    "시장조사업체에 따르면 세계 {sector} 시장은 {year} {en}에서 {year2} {en}{으로} 커질 전망이다.",
    "{co}{은} 지난해 {units}{을} 팔아 {krw}의 매출을 올렸다.",
    "청약 경쟁률은 {n}대 1을 기록했고 증거금으로 {krw}{이} 몰렸다.",
    "{co}{은} {kcity} 물류센터 건립에 {krw}{을} 들이고 {people}{을} 새로 뽑는다.",
    "원·달러 환율이 달러당 {rate}원까지 치솟으면서 수입 물가 부담이 커졌다.",
    "개정안 {art}에 따라 위반 사업자는 {small_krw} 이하의 과태료를 물게 된다.",
    "{co}의 부채 비율은 {pct}{으로} 낮아졌고 현금성 자산은 {krw}{으로} 늘었다.",
    "{co} 측은 “{krw} 규모의 투자를 검토한 것은 맞지만 정해진 것은 없다”고 해명했다.",
    "{mon} 말 가계대출 잔액은 {krw}{으로} 한 달 사이 {krw}{이} 불어났다.",
    "{co}{은} {usd} 규모의 수주를 따내 누적 수주액 {conv}{을} 달성했다.",
    "미국 {fco}{은} {en}에 {fco2} 사업부 인수를 마무리했다고 {mon} {day} 발표했다.",
    "{co}{은} {fx} 상당의 유럽 자산을 매각하는 방안을 추진하고 있다.",
    "{kcity}시는 {year}까지 {band}{을} 들여 도심 공원 {n}곳을 새로 꾸민다.",
    "신입 사원 초봉은 {small_krw}{으로} 업계 평균보다 {small_krw} 높다.",
    "{co}의 배당금은 주당 {price}원으로 정해졌고 배당 총액은 {krw}{이다}.",
    "증권가는 {co}의 내년 영업이익 추정치를 {range}{으로} 제시했다.",
    "{co}{은} {year} 이후 {n}차례에 걸쳐 모두 {krw}의 유상증자를 했다.",
    "이번 입찰에는 {n}개 컨소시엄이 참여했고 {co}{은} 최저 입찰가로 {krw}{을} 써냈다.",
    "{person} 의원실 자료에 따르면 체불 임금은 {pq}{krw}{sq}{으로} 나타났다.",
    "{co}{이} {place}에 짓는 {sector} 공장의 총사업비는 {conv}{으로} 추산된다.",
    "{co} 회장의 보유 지분 가치는 {krw}{으로} {mon} 들어서만 {krw}{이} 늘었다.",
    "비트코인 가격은 개당 {home}{을} 돌파했다가 하루 만에 {pct} 급락했다.",
    "{co}{은} 수재민을 돕기 위한 성금으로 {spelled}{을} 기탁했다.",
    "{co}의 {qtr} 연구개발비는 {krw}{으로} 매출의 {pct}{을} 차지했다.",
    "정부 추경안 {krw} 가운데 {krw}{이} 소상공인 지원에 배정됐다.",
    "{co}{은} {ships}의 선박 수주 계약을 맺었으며 척당 가격은 {usd}{이다}.",
    "{fco}{은} 올해 설비투자 규모를 {en}{으로} 늘리겠다고 밝혔다.",
    "{kcity}의 한 상가 건물은 경매에서 감정가 {home}의 {pct} 수준인 {home}에 낙찰됐다.",
    "{co}{은} {pq}{krw}{sq}의 손실을 입었으며 이는 {fx}에 해당한다.",
};

// Sentences without an amount, many with numbers that are not money.
constexpr std::array<std::string_view, 38> kFillerSentences = {
    "{co} 관계자는 “시장 상황을 면밀히 살펴보고 있다”고 말했다.",
    "{year} {mon} 기준 {co}의 임직원 수는 {people}이다.",
    "새 제도는 {mon} {day}부터 시행된다.",
    "전문가들은 금리 인하 속도가 향후 실적의 관건이 될 것이라고 입을 모았다.",
    "{kcity} 도심에서는 {day} 오후 {hour}시부터 교통이 통제됐다.",
    "{co}{은} 창립 {n}주년을 맞아 새로운 비전을 선포했다.",
    "이 법안은 {art}{와} 시행령 일부를 고치는 내용을 담았다.",
    "코스피는 전 거래일보다 {pct} 내린 {index}에 마감했다.",
    "{co}의 생산량은 {n}배로 늘었고 공장 가동률은 {pct}{을} 웃돌았다.",
    "회사 측은 구체적인 일정은 아직 확정되지 않았다고 덧붙였다.",
    "{kcity}의 한 사원 앞마당에서 열린 행사에는 시민 {people}{이} 몰렸다.",
    "{person} 연구원은 “{sector} 수요 회복은 {year} 하반기 이후에나 가능할 것”이라고 내다봤다.",
    "이 제품은 출시 {n}개월 만에 {units} 넘게 팔렸다.",
    "{co}{은} {n}년간 이어온 {sector} 사업에서 손을 떼기로 했다.",
    "업계 관계자는 “경쟁이 갈수록 치열해지고 있다”고 전했다.",
    "{co}{은} {day} 이사회를 열어 신임 대표로 {person} 부사장을 선임했다.",
    "한국은행은 기준금리를 연 {pct}{으로} 동결했다.",
    "주민들은 아파트 단지 옆 공원 조성 계획에 {n}년째 반대하고 있다.",
    "{co}{은} 올해 하반기 신제품 {n}종을 잇달아 선보일 예정이다.",
    "노조는 {mon} {day} 총파업에 들어가겠다고 예고했다.",
    "{person} 교수는 “규제 완화 없이는 경쟁력을 되찾기 어렵다”고 지적했다.",
    "이번 조사는 전국 성인 {people}{을} 대상으로 {mon} {day}부터 {n}일간 진행됐다.",
    "{co}{은} {kcity} 본사에서 주주총회를 열고 사외이사 {n}명을 새로 뽑았다.",
    "회사는 {year} 상반기 중 증권신고서를 제출할 계획이다.",
    "금융당국은 관련 업체 {n}곳에 대한 현장 검사에 착수했다.",
    "{sector} 업황이 살아나면서 관련 기업들의 채용도 늘고 있다.",
    "{co}{은} 이날 보도자료를 내고 “사실과 다른 내용”이라고 반박했다.",
    "시장에서는 {mon} 금융통화위원회 회의 결과에 관심이 쏠린다.",
    "{kcity} 지역 미분양 주택은 {households}로 집계됐다.",
    "{person} 대표는 취임 {n}년 만에 회사를 흑자로 돌려놨다.",
    "정부는 {n}개 부처 합동으로 후속 대책을 마련하기로 했다.",
    "{fco}의 신제품 공개 행사는 현지 시각 {day} 오전 {hour}시에 열린다.",
    "공장 화재로 생산 라인 {n}곳의 가동이 한때 중단됐다.",
    "투자자들은 {qtr} 실적 발표를 앞두고 관망세를 보였다.",
    "{co} 제{n}공장은 {year} 말 준공을 목표로 공사가 한창이다.",
    "이번 협약으로 {kcity}에는 일자리 {n}00여 개가 새로 생길 것으로 기대된다.",
    "구청 측은 공원 내 낡은 시설물을 {mon}까지 모두 교체하겠다고 밝혔다.",
    "사원증 없이 드나들 수 있는 구역은 {n}곳으로 제한된다.",
};

constexpr std::array<std::string_view, 6> kHeadlines = {
    "{co}, {sector}에 {usd} 투자",
    "[단독] {co}, {co2} 인수 추진…몸값 {band}",
    "{co} {qtr} 영업익 {krw}…전년비 {pct}↑",
    "{sector} 수출 {n}개월 연속 증가",
    "{person} 장관 “{sector} 지원 확대”",
    "{fco}, {en} 규모 자사주 매입",
};

// ---------------------------------------------------------------------------
// Number formatting

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A Sino-Korean reading of 1..9999 as news writes it spelled out (이천칠백삼십오):
// no 일 before 천, 백 or 십.
std::string spelled_sino(std::uint64_t n) {
  constexpr std::array<std::string_view, 10> kDigits = {"", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"};
  constexpr std::array<std::string_view, 4> kUnits = {"천", "백", "십", ""};
  std::string out;
  std::uint64_t div = 1000;
  for (std::string_view unit : kUnits) {
    std::uint64_t d = n / div % 10;
    div /= 10;
    if (d == 0) continue;
    if (d > 1 || unit.empty()) out += kDigits[d];
    out += unit;
  }
  return out;
}

// Fixed-point decimal: `scaled` holds the value times 10^decimals.
std::string fixed(std::uint64_t scaled, int decimals) {
  std::uint64_t div = 1;
  for (int i = 0; i < decimals; ++i) div *= 10;
  if (decimals == 0) return with_commas(scaled);
  return fmt::format("{}.{:0{}}", with_commas(scaled / div), scaled % div, decimals);
}

// MB/s (MB = 10^6 bytes) with one decimal: bytes per ns times 1000.
std::string mb_per_s(std::uint64_t bytes, std::uint64_t ns) {
  return fixed(ns == 0 ? 0 : bytes * 10000 / ns, 1);
}

std::string seconds(std::uint64_t ns) { return fixed(ns / 1000000, 3); }

// ---------------------------------------------------------------------------
// Korean particles

// Whether the word ending `text` ends in a consonant as it is read aloud,
// which decides 은/는, 이/가, 을/를, 과/와, 으로/로. A parenthesis is skipped:
// the particle after `5000억달러(약 729조원)` follows 달러.
enum class Ending { kVowel, kConsonant, kRieul };

Ending ending_of(std::string_view text) {
  std::size_t end = text.size();
  if (end > 0 && text[end - 1] == ')') {
    std::size_t open = text.rfind('(');
    if (open != std::string_view::npos) end = open;
  }
  if (end == 0) return Ending::kVowel;
  unsigned char last = static_cast<unsigned char>(text[end - 1]);
  if (last < 0x80) {
    // Digits as read in Korean (영 일 이 삼 사 오 육 칠 팔 구); Latin words
    // such as billion or million end in a consonant when they end in l, m, n.
    constexpr std::string_view kDigitEnding = "CRVCVVCRRV";
    if (last >= '0' && last <= '9') {
      char e = kDigitEnding[last - '0'];
      return e == 'V' ? Ending::kVowel : e == 'R' ? Ending::kRieul : Ending::kConsonant;
    }
    char c = static_cast<char>(last | 0x20);
    return c == 'l' ? Ending::kRieul : (c == 'm' || c == 'n') ? Ending::kConsonant : Ending::kVowel;
  }
  // Decode the last UTF-8 code point.
  std::size_t start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  std::uint32_t cp = 0;
  if (end - start == 3) {
    cp = (static_cast<unsigned char>(text[start]) & 0x0Fu) << 12 |
         (static_cast<unsigned char>(text[start + 1]) & 0x3Fu) << 6 |
         (static_cast<unsigned char>(text[start + 2]) & 0x3Fu);
  }
  if (cp < 0xAC00 || cp > 0xD7A3) return Ending::kVowel;
  std::uint32_t final_consonant = (cp - 0xAC00) % 28;
  if (final_consonant == 0) return Ending::kVowel;
  return final_consonant == 8 ? Ending::kRieul : Ending::kConsonant;
}

// ---------------------------------------------------------------------------
// The generator

class Generator {
 public:
  static constexpr std::uint64_t kFillerPercent = 62;

  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  // One article of 2-8 KB: a headline, paragraphs of 2-4 sentences and a
  // byline, lines separated by '\n'.
  std::string document() {
    std::size_t target = static_cast<std::size_t>(rng_.between(2048, 8192));
    std::string doc;
    fill(rng_.pick(kHeadlines), &doc);
    doc += '\n';
    while (doc.size() < target) {
      std::uint64_t sentences = rng_.between(2, 4);
      for (std::uint64_t i = 0; i < sentences && (i == 0 || doc.size() < target); ++i) {
        if (i > 0) doc += ' ';
        // Most sentences carry no amount; this share gives about one
        // extracted amount per 185 bytes, four times as dense as the
        // example article (one per 756), so the stages that work per
        // amount weigh more here than on most news.
        fill(rng_.percent(kFillerPercent) ? rng_.pick(kFillerSentences) : rng_.pick(kAmountSentences), &doc);
      }
      doc += '\n';
    }
    doc += rng_.pick(kPeople);
    doc += " 기자";
    return doc;
  }

  // One figure as `krfx value` takes it: a numeral with or without a
  // currency, a range or a band.
  std::string figure() {
    switch (rng_.below(10)) {
      case 0: return korean_numeral();
      case 1: return spelled_numeral();
      case 2: return usd();
      case 3: return fx();
      case 4: return english();
      case 5: return range();
      case 6: return band();
      case 7: return small_krw();
      default: return krw();
    }
  }

 private:
  // Appends `tmpl` with every {placeholder} filled in.
  void fill(std::string_view tmpl, std::string* out) {
    std::size_t i = 0;
    while (i < tmpl.size()) {
      std::size_t open = tmpl.find('{', i);
      if (open == std::string_view::npos) {
        out->append(tmpl.substr(i));
        break;
      }
      out->append(tmpl.substr(i, open - i));
      std::size_t close = tmpl.find('}', open);
      expand(tmpl.substr(open + 1, close - open - 1), out);
      i = close + 1;
    }
  }

  void particle(std::string* out, std::string_view after_consonant, std::string_view after_vowel,
                std::string_view after_rieul) {
    switch (ending_of(*out)) {
      case Ending::kConsonant: out->append(after_consonant); break;
      case Ending::kVowel: out->append(after_vowel); break;
      case Ending::kRieul: out->append(after_rieul); break;
    }
  }

  void expand(std::string_view key, std::string* out) {
    // Particles: 으로 after ㄹ is 로 (달 -> 달로); the others treat ㄹ as a consonant.
    if (key == "은") return particle(out, "은", "는", "은");
    if (key == "이") return particle(out, "이", "가", "이");
    if (key == "을") return particle(out, "을", "를", "을");
    if (key == "와") return particle(out, "과", "와", "과");
    if (key == "으로") return particle(out, "으로", "로", "로");
    if (key == "이다") return particle(out, "이다", "다", "이다");
    out->append(placeholder(key));
  }

  std::string placeholder(std::string_view key) {
    // Names and places; co2 and fco2 differ from the company named last.
    if (key == "co") return std::string(last_company_ = rng_.pick(kCompanies));
    if (key == "co2") return std::string(other(kCompanies, last_company_));
    if (key == "fco") return std::string(last_company_ = rng_.pick(kForeignCompanies));
    if (key == "fco2") return std::string(other(kForeignCompanies, last_company_));
    if (key == "person") return std::string(rng_.pick(kPeople));
    if (key == "kcity") return std::string(rng_.pick(kKoreanCities));
    if (key == "place") return std::string(rng_.pick(kPlaces));
    if (key == "sector") return std::string(rng_.pick(kSectors));
    // Amounts.
    if (key == "krw") return krw();
    if (key == "small_krw") return small_krw();
    if (key == "home") return home_price();
    if (key == "usd") return usd();
    if (key == "fx") return fx();
    if (key == "en") return english();
    if (key == "conv") return conversion();
    if (key == "range") return range();
    if (key == "band") return band();
    if (key == "spelled") return spelled_numeral() + "원";
    if (key == "price") return with_commas(rng_.between(10, 9000) * 100);
    if (key == "rate") return fmt::format("1,{}.{}", rng_.between(280, 480), rng_.below(10));
    if (key == "pq") return prefix_qualifier();
    if (key == "sq") return suffix_qualifier();
    // Numbers that are not money: the traps.
    if (key == "year") return fmt::format("{}년", rng_.between(2019, 2026));
    if (key == "year2") return fmt::format("{}년", rng_.between(2028, 2035));
    if (key == "qtr") return fmt::format("{}분기", rng_.between(1, 4));
    if (key == "mon") return fmt::format("{}월", rng_.between(1, 12));
    if (key == "day") return fmt::format("{}일", rng_.between(1, 28));
    if (key == "hour") return std::to_string(rng_.between(1, 11));
    if (key == "n") return std::to_string(rng_.between(2, 30));
    if (key == "pct") return percent_figure();
    if (key == "people") return with_commas(rng_.between(3, 3000) * 10) + "명";
    if (key == "units") return unit_count();
    if (key == "art") return fmt::format("제{}조", rng_.between(1, 80));
    if (key == "households") return with_commas(rng_.between(100, 20000)) + "가구";
    if (key == "ships") return fmt::format("{}척", rng_.between(2, 16));
    if (key == "index") return fmt::format("2,{}.{:02}", rng_.between(400, 999), rng_.below(100));
    // A typo in a template is a bug in this program: stop loudly.
    std::cerr << "krfx_bench: unknown placeholder {" << key << "}\n";
    std::abort();
  }

  template <std::size_t N>
  std::string_view other(const std::array<std::string_view, N>& items, std::string_view not_this) {
    std::size_t i = static_cast<std::size_t>(rng_.below(N));
    if (items[i] == not_this) i = (i + 1) % N;
    return items[i];
  }

  // A round-ish count of a unit: news rounds, but not always.
  std::uint64_t roundish(std::uint64_t lo, std::uint64_t hi) {
    std::uint64_t n = rng_.between(lo, hi);
    switch (rng_.below(4)) {
      case 0: return n;
      case 1: return n >= 10 ? n / 10 * 10 : n;
      default: return n >= 100 ? n / 100 * 100 : n;
    }
  }

  // A numeral with Korean units as newspapers write it, no currency.
  std::string korean_numeral() {
    switch (rng_.below(10)) {
      case 0:
      case 1: return fmt::format("{}억", roundish(1, 9999));
      case 2: return fmt::format("{}조{}억", rng_.between(1, 99), rng_.between(1, 9) * 1000);
      case 3: return fmt::format("{}조{}천억", rng_.between(1, 99), rng_.between(1, 9));
      case 4: return fmt::format("{}조 {}천억", rng_.between(1, 99), rng_.between(1, 9));
      case 5: return fmt::format("{}만", with_commas(roundish(1, 99999)));
      case 6: return fmt::format("{}억{}천만", rng_.between(1, 99), rng_.between(1, 9));
      case 7: return fmt::format("{}억{}만", rng_.between(1, 999), rng_.between(1, 9) * 1000);
      case 8: return fmt::format("{}.{}{}", rng_.between(1, 9), rng_.between(1, 9), rng_.percent(50) ? "조" : "억");
      default: return fmt::format("{}조", roundish(1, 999));
    }
  }

  std::string spelled_numeral() {
    static constexpr std::array<std::string_view, 3> kUnits = {"만", "억", "조"};
    std::uint64_t n = rng_.percent(50) ? rng_.between(1, 9) * 1000 + rng_.between(0, 9) * 100 : rng_.between(1, 999);
    return spelled_sino(n) + std::string(rng_.pick(kUnits));
  }

  std::string krw() {
    switch (rng_.below(20)) {
      case 0: return with_commas(roundish(1000, 999999) * 1000) + "원";
      case 1: return spelled_numeral() + "원";
      case 2: return korean_numeral() + " 원";
      case 3: return fmt::format("{}여억원", rng_.between(1, 9) * (rng_.percent(50) ? 10 : 100));
      case 4: return band();
      default: return korean_numeral() + "원";
    }
  }

  std::string small_krw() {
    switch (rng_.below(5)) {
      case 0: return fmt::format("{}만원", rng_.between(1, 999));
      case 1: return fmt::format("{}만원", with_commas(rng_.between(1000, 9999)));
      case 2: return fmt::format("{}만{}천원", rng_.between(1, 99), rng_.between(1, 9));
      case 3: return with_commas(rng_.between(1, 999) * 1000) + "원";
      default: return fmt::format("{}만원", rng_.between(1, 99) * 10);
    }
  }

  std::string home_price() {
    switch (rng_.below(3)) {
      case 0: return fmt::format("{}억{}천만원", rng_.between(1, 40), rng_.between(1, 9));
      case 1: return fmt::format("{}억원", rng_.between(1, 60));
      default: return fmt::format("{}만원", with_commas(rng_.between(5000, 99999)));
    }
  }

  std::string usd() {
    switch (rng_.below(6)) {
      case 0: return fmt::format("{}만달러", with_commas(roundish(1, 9999)));
      case 1: return fmt::format("{}억{}천만달러", rng_.between(1, 99), rng_.between(1, 9));
      case 2: return fmt::format("{}억 달러", roundish(1, 9999));
      case 3: return fmt::format("{}.{}억달러", rng_.between(1, 99), rng_.between(1, 9));
      default: return fmt::format("{}억달러", roundish(1, 9999));
    }
  }

  std::string fx() {
    static constexpr std::array<std::string_view, 6> kCurrencies = {"엔", "유로", "위안", "파운드", " 유로", "홍콩달러"};
    return korean_numeral() + std::string(rng_.pick(kCurrencies));
  }

  std::string english() {
    static constexpr std::array<std::string_view, 5> kPrefixes = {"$", "$", "US$", "USD ", "€"};
    static constexpr std::array<std::string_view, 4> kScales = {" billion", " million", "bn", " billion"};
    std::string number = rng_.percent(50) ? std::to_string(rng_.between(2, 900))
                                          : fmt::format("{}.{}", rng_.between(1, 99), rng_.between(1, 9));
    return std::string(rng_.pick(kPrefixes)) + number + std::string(rng_.pick(kScales));
  }

  // A dollar amount restated in won, or won restated in dollars, at a
  // plausible rate: 5000억달러(약 729조원), 150억달러(약 21조9000억).
  std::string conversion() {
    static constexpr std::array<std::string_view, 5> kOpeners = {"약 ", "약 ", "한화 약 ", "원화 약 ", ""};
    std::uint64_t rate = rng_.between(1280, 1480);  // won per dollar
    if (rng_.percent(15)) {
      std::uint64_t won_eok = roundish(100, 99999);   // in units of 억원
      std::uint64_t usd_man = won_eok * 10000 / rate;  // in units of 만달러
      return fmt::format("{}원({}{})", eok_figure(won_eok), kOpeners[rng_.below(2)], man_figure(usd_man) + "달러");
    }
    std::uint64_t usd_man = roundish(1, 9999) * (rng_.percent(70) ? 10000 : 1000);  // 만달러
    std::uint64_t won_man = usd_man * rate;
    std::string usd_text = man_figure(usd_man) + "달러";
    std::string won_text = man_figure(won_man);
    if (!rng_.percent(20)) won_text += "원";  // a bare restatement takes the home currency
    return fmt::format("{}({}{})", usd_text, rng_.pick(kOpeners), won_text);
  }

  // An amount given in 억 units, written with 조 and 억 and rounded as a
  // newspaper would: 21조9000억, 729조, 3500억.
  static std::string eok_figure(std::uint64_t eok) {
    std::uint64_t jo = eok / 10000, rest = eok % 10000;
    if (jo == 0) return std::to_string(eok) + "억";
    if (jo >= 100 || rest < 100) return std::to_string(jo) + "조";
    return fmt::format("{}조{}억", jo, rest / 100 * 100);
  }

  // An amount given in 만 units: 조/억 for large ones, 1,234만 for small ones.
  static std::string man_figure(std::uint64_t man) {
    if (man >= 10000) {
      std::uint64_t eok = man / 10000, rest = man % 10000;
      if (eok >= 10000 || rest < 1000) return eok_figure(eok);
      return fmt::format("{}억{}만", eok, rest / 1000 * 1000);
    }
    return with_commas(man) + "만";
  }

  std::string range() {
    static constexpr std::array<std::string_view, 3> kCurrencies = {"원", "달러", "원"};
    std::string currency(rng_.pick(kCurrencies));
    std::uint64_t low = rng_.between(1, 50);
    std::uint64_t high = low + rng_.between(1, 50);
    switch (rng_.below(4)) {
      case 0: return fmt::format("{}억~{}억{}", low * 10, high * 10, currency);
      case 1: return fmt::format("{}~{}조{}", low, high, currency);
      case 2: return fmt::format("{}조에서 {}조{}", low, high, currency);
      default: return fmt::format("{}~{}천만{}", low % 9 + 1, low % 9 + 2, currency);
    }
  }

  std::string band() {
    static constexpr std::array<std::string_view, 6> kVague = {"수백억원", "수천억원", "수십조원",
                                                               "수조원",   "수천만원", "수십억원"};
    switch (rng_.below(4)) {
      case 0: return fmt::format("{}천만원대", rng_.between(1, 9));
      case 1: return fmt::format("{}억원대", rng_.between(1, 99));
      case 2: return fmt::format("{}조원대", rng_.between(1, 99));
      default: return std::string(rng_.pick(kVague));
    }
  }

  std::string prefix_qualifier() {
    static constexpr std::array<std::string_view, 10> kWords = {"약 ", "최대 ", "최소 ", "총 ", "무려 ",
                                                                "", "", "", "", ""};
    return std::string(rng_.pick(kWords));
  }

  std::string suffix_qualifier() {
    static constexpr std::array<std::string_view, 10> kWords = {" 이상", " 이하", " 가량", " 안팎", " 수준",
                                                                " 미만", "", "", "", ""};
    return std::string(rng_.pick(kWords));
  }

  std::string percent_figure() {
    if (rng_.percent(50)) return fmt::format("{}%", rng_.between(1, 90));
    return fmt::format("{}.{}%", rng_.between(0, 40), rng_.between(1, 9));
  }

  // Counts with a counter word, which must not become money: 3만 1,618대.
  std::string unit_count() {
    switch (rng_.below(3)) {
      case 0: return fmt::format("{}만 {}대", rng_.between(1, 90), with_commas(rng_.between(100, 9999)));
      case 1: return fmt::format("{}대", with_commas(rng_.between(100, 99999)));
      default: return fmt::format("{}만 개", rng_.between(2, 500));
    }
  }

  Rng rng_;
  std::string_view last_company_;
};

// ---------------------------------------------------------------------------
// Corpus

std::vector<krfx::Document> generate_corpus(std::uint64_t seed, std::uint64_t bytes) {
  Generator gen(seed);
  std::vector<krfx::Document> docs;
  std::uint64_t total = 0;
  while (total < bytes) {
    krfx::Document doc{fmt::format("g{}", docs.size() + 1), gen.document(), ""};
    total += doc.text.size();
    docs.push_back(std::move(doc));
  }
  return docs;
}

std::uint64_t corpus_bytes(const std::vector<krfx::Document>& docs, std::size_t count) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < count; ++i) total += docs[i].text.size();
  return total;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// JSONL ({"id","text"} per line) for `krfx extract --format jsonl`, or plain
// text with a blank line between documents. Returns false on a write error.
bool write_corpus(const std::vector<krfx::Document>& docs, const std::string& path, bool jsonl) {
  std::ofstream out(path, std::ios::binary);
  for (std::size_t i = 0; i < docs.size() && out; ++i) {
    if (jsonl) {
      out << "{\"id\":" << json_string(docs[i].id) << ",\"text\":" << json_string(docs[i].text) << "}\n";
    } else {
      if (i > 0) out << "\n\n";
      out << docs[i].text;
    }
  }
  if (!jsonl && !docs.empty()) out << '\n';
  out.flush();
  return static_cast<bool>(out);
}

// ---------------------------------------------------------------------------
// Measurement

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

// An output sink that keeps nothing but counts bytes. It has a buffer like a
// file stream's, so the writer pays for formatting and buffering but no
// system call, and a flush per document costs what it would on a file.
class NullBuffer : public std::streambuf {
 public:
  NullBuffer() { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  std::uint64_t bytes() const { return bytes_ + static_cast<std::uint64_t>(pptr() - pbase()); }

 protected:
  int_type overflow(int_type c) override {
    drain();
    if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  int sync() override {
    drain();
    return 0;
  }

 private:
  void drain() {
    bytes_ += static_cast<std::uint64_t>(pptr() - pbase());
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  std::array<char, 1 << 16> buffer_{};
  std::uint64_t bytes_ = 0;
};

struct Timed {
  std::uint64_t ns = 0;
  std::uint64_t count = 0;   // matches, mentions or values, by measurement
  std::uint64_t output = 0;  // bytes written, for extract to JSONL
};

// Keeps the fastest of several rounds: the noise on a shared machine only
// ever adds time.
void keep_best(Timed* best, const Timed& t) {
  if (best->ns == 0 || t.ns < best->ns) *best = t;
}

// The engine's scanning pattern alone over each document: every match found
// the way the engine looks for candidates (Match from a position, unanchored,
// one submatch for the match bounds), and no other work. This is the floor
// for extract: it must at least run this pattern over all of the text.
Timed time_scan(const RE2& scan, const std::vector<krfx::Document>& docs, std::size_t count) {
  Timed t;
  std::uint64_t start = now_ns();
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& text = docs[i].text;
    re2::StringPiece whole(text.data(), text.size()), m;
    std::size_t pos = 0;
    while (pos < text.size() && scan.Match(whole, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
      ++t.count;
      std::size_t begin = static_cast<std::size_t>(m.data() - text.data());
      pos = std::max(begin + m.size(), begin + 1);
    }
  }
  t.ns = now_ns() - start;
  return t;
}

// Engine::extract on each document; with `write`, every mention is written
// as JSONL to a null sink, as `krfx extract --format jsonl` does.
Timed time_extract(const krfx::Engine& engine, const std::vector<krfx::Document>& docs, std::size_t count,
                   bool write) {
  Timed t;
  NullBuffer sink_buffer;
  std::ostream sink(&sink_buffer);
  std::unique_ptr<krfx::Writer> writer = krfx::make_writer(krfx::Format::kJsonl, sink);
  std::uint64_t start = now_ns();
  if (write) writer->begin();
  for (std::size_t i = 0; i < count; ++i) {
    krfx::ExtractResult r = engine.extract(docs[i]);
    t.count += r.mentions.size();
    if (write) writer->write(docs[i], r.mentions);
  }
  if (write) writer->end();
  t.ns = now_ns() - start;
  t.output = sink_buffer.bytes();
  return t;
}

// Engine::value over the figure list, repeated until at least `min_ns` has
// passed so that the rate is not dominated by timer resolution.
Timed time_values(const krfx::Engine& engine, const std::vector<std::string>& figures, std::uint64_t min_ns,
                  std::uint64_t* ok) {
  Timed t;
  *ok = 0;
  std::uint64_t start = now_ns();
  do {
    for (const std::string& f : figures) {
      if (engine.value(f).ok) ++*ok;
      ++t.count;
      t.output += f.size();  // bytes of figures read, for MB/s
    }
    t.ns = now_ns() - start;
  } while (t.ns < min_ns);
  return t;
}

std::unique_ptr<krfx::Engine> load_engine() {
  krfx::LoadError error;
  std::unique_ptr<krfx::Engine> engine = krfx::Engine::load_default(&error);
  if (!engine) {
    std::cerr << "krfx_bench: " << error.to_string() << "\n";
    std::exit(2);
  }
  return engine;
}

// The median of five loads of the embedded rules: parsing, the CLDR
// import and the tables, what every process pays before its first
// document. The built-in patterns compile when first used (see the next
// row); each engine is dropped outside the timing.
std::uint64_t median_load_ns() {
  std::array<std::uint64_t, 5> times{};
  for (std::uint64_t& t : times) {
    std::uint64_t start = now_ns();
    std::unique_ptr<krfx::Engine> engine = load_engine();
    t = now_ns() - start;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// The Engine keeps its Lexicon private, so the scan pattern is rebuilt here
// from the same embedded rules through the same internal API the engine
// uses: the compiled `scan` RE2 is then the engine's own, options included.
std::unique_ptr<krfx::internal::Lexicon> build_lexicon() {
  namespace ki = krfx::internal;
  ki::FileReader reader = ki::read_embedded_rule_file;
  krfx::LoadError error;
  ki::RuleSet rules;
  auto lexicon = std::make_unique<ki::Lexicon>();
  if (!ki::parse_rules(std::string(ki::kDefaultMainRules), reader, &rules, &error) ||
      !ki::Lexicon::build(rules, lexicon.get(), &error)) {
    std::cerr << "krfx_bench: " << error.to_string() << "\n";
    std::exit(2);
  }
  return lexicon;
}

// The median of five loads that also compile every pattern of the rules on
// this thread, as `--rules DIR` does: issue 5's "load and compile".
std::uint64_t median_compiled_load_ns() {
  std::array<std::uint64_t, 5> times{};
  for (std::uint64_t& t : times) {
    std::uint64_t start = now_ns();
    std::unique_ptr<krfx::internal::Lexicon> lexicon = build_lexicon();
    t = now_ns() - start;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// What a process's first amount waits for beyond the rules load, median of
// five: the `scan` pattern compiled, and then, at its first match, RE2
// building the reversed program it runs backwards from a match's end to
// find where the match starts. reverse_ns is 0 if "1" is no match.
struct ScanCompile {
  std::uint64_t compile_ns = 0, reverse_ns = 0;
};

ScanCompile median_scan_compile(const RE2& scan) {
  std::array<std::uint64_t, 5> compile{}, reverse{};
  for (std::size_t i = 0; i < compile.size(); ++i) {
    std::uint64_t start = now_ns();
    RE2 re(scan.pattern(), scan.options());
    std::uint64_t compiled = now_ns();
    re2::StringPiece m;
    const bool matched = re.Match("1", 0, 1, RE2::UNANCHORED, &m, 1);
    compile[i] = compiled - start;
    reverse[i] = matched ? now_ns() - compiled : 0;
  }
  std::sort(compile.begin(), compile.end());
  std::sort(reverse.begin(), reverse.end());
  return {compile[compile.size() / 2], reverse[reverse.size() / 2]};
}

// Peak resident set size so far, in KiB (Linux reports ru_maxrss in KiB).
std::uint64_t peak_rss_kib() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss);
}

std::string mib(std::uint64_t kib) { return fixed(kib * 10 / 1024, 1); }

// ---------------------------------------------------------------------------
// Command line

struct Options {
  std::uint64_t mb = 100;
  std::uint64_t seed = 20250105;
  std::uint64_t rounds = 3;
  std::uint64_t repeat = 1;
  std::string write_jsonl, write_text, corpus;
  bool linearity = false;
  bool stages = false;
};

constexpr std::string_view kUsage =
    "usage: krfx_bench [--mb N] [--rounds N] [--seed N] [--linearity | --stages [--corpus FILE [--repeat N]]]\n"
    "       krfx_bench [--mb N] [--seed N] --write FILE.jsonl | --write-text FILE.txt\n"
    "  --mb N          size of the generated corpus in MB (10^6 bytes; default 100)\n"
    "  --rounds N      runs of each timed pass; the fastest counts (default 3;\n"
    "                  no more rounds once one has taken over 30 s)\n"
    "  --seed N        generator seed (default 20250105)\n"
    "  --linearity     time extract on N/4 MB and N MB and print the ratio\n"
    "  --stages        time the pipeline's stages one prefix at a time (normalize,\n"
    "                  + scan, + structure, + link) and print each stage's share,\n"
    "                  then the floor: the parts the design cannot leave out\n"
    "  --corpus FILE   with --stages: time the documents of FILE (text or JSONL,\n"
    "                  as krfx reads it) instead of the generated corpus\n"
    "  --repeat N      with --corpus: its documents N times over (default 1)\n"
    "  --write FILE    write the corpus as JSONL {\"id\",\"text\"} documents and exit\n"
    "  --write-text F  write the corpus as text, a blank line between documents, and exit\n";

bool parse_number(const char* s, std::uint64_t* out) {
  if (*s == '\0') return false;
  std::uint64_t n = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9' || n > (UINT64_MAX - 9) / 10) return false;
    n = n * 10 + static_cast<std::uint64_t>(*s - '0');
  }
  *out = n;
  return true;
}

bool parse_options(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--linearity") {
      o->linearity = true;
    } else if (arg == "--stages") {
      o->stages = true;
    } else if (arg == "--mb" && has_value) {
      if (!parse_number(argv[++i], &o->mb) || o->mb == 0) return false;
    } else if (arg == "--rounds" && has_value) {
      if (!parse_number(argv[++i], &o->rounds) || o->rounds == 0) return false;
    } else if (arg == "--seed" && has_value) {
      if (!parse_number(argv[++i], &o->seed)) return false;
    } else if (arg == "--write" && has_value) {
      o->write_jsonl = argv[++i];
    } else if (arg == "--corpus" && has_value) {
      o->corpus = argv[++i];
    } else if (arg == "--repeat" && has_value) {
      if (!parse_number(argv[++i], &o->repeat) || o->repeat == 0) return false;
    } else if (arg == "--write-text" && has_value) {
      o->write_text = argv[++i];
    } else {
      return false;
    }
  }
  return true;
}

constexpr std::uint64_t kMegabyte = 1000000;

// Rounds after the first are skipped once a round has taken this long: the
// noise is then small next to the time measured, and a slow engine would
// otherwise keep the benchmark busy for many minutes.
constexpr std::uint64_t kLongRoundNs = 30000000000;

// ---------------------------------------------------------------------------
// Modes

int run_linearity(const Options& o, const krfx::Engine& engine) {
  // The small corpus is the first quarter of the large one: same seed, same
  // documents, so only the amount of text differs.
  std::vector<krfx::Document> docs = generate_corpus(o.seed, o.mb * kMegabyte);
  std::size_t quarter = 0;
  for (std::uint64_t bytes = 0; quarter < docs.size() && bytes < o.mb * kMegabyte / 4; ++quarter) {
    bytes += docs[quarter].text.size();
  }
  std::uint64_t small_bytes = corpus_bytes(docs, quarter), large_bytes = corpus_bytes(docs, docs.size());
  Timed small, large;
  std::uint64_t rounds = 0;
  while (rounds < o.rounds) {
    std::uint64_t round_start = now_ns();
    keep_best(&small, time_extract(engine, docs, quarter, true));
    keep_best(&large, time_extract(engine, docs, docs.size(), true));
    ++rounds;
    if (now_ns() - round_start > kLongRoundNs) break;
  }
  std::uint64_t time_ratio = large.ns * 100 / small.ns;
  std::uint64_t size_ratio = large_bytes * 100 / small_bytes;
  // Time per byte of the large run over that of the small: 1.00 is linear.
  std::uint64_t per_byte = large.ns * small_bytes / large_bytes * 100 / small.ns;
  fmt::print("krfx_bench --linearity: seed {}, best of {} round{}\n\n", o.seed, rounds, rounds == 1 ? "" : "s");
  fmt::print("| extract to JSONL | size | time | MB/s |\n|---|---:|---:|---:|\n");
  fmt::print("| small | {} MB | {} s | {} |\n", fixed(small_bytes / 100000, 1), seconds(small.ns),
             mb_per_s(small_bytes, small.ns));
  fmt::print("| large | {} MB | {} s | {} |\n", fixed(large_bytes / 100000, 1), seconds(large.ns),
             mb_per_s(large_bytes, large.ns));
  fmt::print("\ntime ratio large/small: {} (size ratio {}, ideal: equal)\n", fixed(time_ratio, 2),
             fixed(size_ratio, 2));
  fmt::print("time per byte, large/small: {} (ideal 1.00; within 0.80..1.20 passes)\n", fixed(per_byte, 2));
  return 0;
}

// Work that this design cannot leave out, timed alone on the corpus, for
// the floor table of --stages: the sentence boundaries of each line that
// holds an amount, found as the linker finds them (link/sentences.h: a
// walk over the terminators, ICU's iterator where the walk cannot decide),
// from the line's start to the end of the sentence of its last amount; and
// the JSONL writer given the finished records of each document (extracted
// outside the timing).
struct Floor {
  Timed sentences, write;
};

Floor time_floor(const krfx::internal::Lexicon& lexicon, const krfx::Engine& engine,
                 const std::vector<krfx::Document>& docs) {
  namespace ki = krfx::internal;
  Floor f;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> iterator(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getKorean(), status));
  if (U_FAILURE(status)) {
    std::cerr << "krfx_bench: no ICU sentence break iterator: " << u_errorName(status) << "\n";
    std::exit(2);
  }
  ki::SentenceBreaks breaks(iterator.get());
  NullBuffer sink_buffer;
  std::ostream sink(&sink_buffer);
  std::unique_ptr<krfx::Writer> writer = krfx::make_writer(krfx::Format::kJsonl, sink);
  writer->begin();
  struct Line {
    std::string_view text;
    std::size_t through = 0;  // the last amount's end, from the line's start
  };
  std::vector<Line> lines;
  for (const krfx::Document& doc : docs) {
    ki::NormalizedText norm = ki::normalize(doc.text);
    const std::string_view text = norm.text;
    ki::Structured st = ki::build_mentions(lexicon, text, ki::scan_atoms(lexicon, text));
    lines.clear();
    std::size_t line_b = 0, line_e = 0, last_end = 0;
    const auto close = [&] {
      if (last_end != 0) lines.push_back({text.substr(line_b, line_e - line_b), last_end - line_b});
      last_end = 0;
    };
    for (const ki::Draft& d : st.mentions) {
      if (d.restates >= 0) continue;  // (linked as the amount it restates)
      if (last_end == 0 || d.begin >= line_e) {
        close();
        const std::size_t nl = d.begin == 0 ? std::string_view::npos : text.rfind('\n', d.begin - 1);
        line_b = nl == std::string_view::npos ? 0 : nl + 1;
        line_e = std::min(text.find('\n', d.begin), text.size());
      }
      last_end = std::max(last_end, std::min(d.end, line_e));
    }
    close();
    std::uint64_t start = now_ns();
    for (const Line& l : lines) {
      breaks.set_line(l.text);
      breaks.through(l.through);
    }
    f.sentences.ns += now_ns() - start;
    f.sentences.count += lines.size();

    krfx::ExtractResult r = engine.extract(doc);
    start = now_ns();
    writer->write(doc, r.mentions);
    f.write.ns += now_ns() - start;
    f.write.count += r.mentions.size();
  }
  writer->end();
  f.write.output = sink_buffer.bytes();
  return f;
}

// The stages Engine::extract runs, timed as growing prefixes of the
// pipeline (normalize; normalize + scan; ... + link), each over the whole
// corpus: a stage's cost is the difference between two prefixes. Offsets,
// mention records and the writer are what remains of extract.
int run_stages(const Options& o, const krfx::Engine& engine) {
  namespace ki = krfx::internal;
  std::unique_ptr<ki::Lexicon> lexicon = build_lexicon();
  std::vector<krfx::Document> docs;
  if (o.corpus.empty()) {
    docs = generate_corpus(o.seed, o.mb * kMegabyte);
  } else if (krfx::read_documents(o.corpus, krfx::InputKind::kAuto,
                                  [&](krfx::Document&& d) { docs.push_back(std::move(d)); },
                                  [](const krfx::InputError& e) { std::cerr << "krfx_bench: " << e.to_string() << "\n"; }) >
             0) {
    return 2;
  } else {
    const std::size_t read = docs.size();
    for (std::uint64_t k = 1; k < o.repeat; ++k)
      for (std::size_t i = 0; i < read; ++i) docs.push_back(docs[i]);
  }
  std::uint64_t bytes = corpus_bytes(docs, docs.size());
  constexpr int kStages = 4;
  constexpr std::array<std::string_view, kStages> kNames = {"normalize", "scan (candidates, numerals, currency)",
                                                            "structure (ranges, qualifiers, restatements)",
                                                            "link (entity, action, target)"};
  std::array<Timed, kStages> best{};
  Timed whole, scan;
  Floor floor;
  for (std::uint64_t r = 0; r < o.rounds; ++r) {
    for (int upto = 0; upto < kStages; ++upto) {
      Timed t;
      std::uint64_t start = now_ns();
      for (const krfx::Document& doc : docs) {
        ki::NormalizedText norm = ki::normalize(doc.text);
        if (upto < 1) continue;
        std::vector<ki::Atom> atoms = ki::scan_atoms(*lexicon, norm.text);
        if (upto < 2) continue;
        ki::Structured st = ki::build_mentions(*lexicon, norm.text, std::move(atoms));
        t.count += st.mentions.size();
        if (upto < 3) continue;
        std::vector<ki::Link> links = ki::link_mentions(*lexicon, norm.text, st.mentions);
        t.output += links.size();
      }
      t.ns = now_ns() - start;
      keep_best(&best[static_cast<std::size_t>(upto)], t);
    }
    keep_best(&whole, time_extract(engine, docs, docs.size(), true));
    keep_best(&scan, time_scan(*lexicon->scan, docs, docs.size()));
    Floor f = time_floor(*lexicon, engine, docs);
    keep_best(&floor.sentences, f.sentences);
    keep_best(&floor.write, f.write);
  }
  const std::string source = o.corpus.empty() ? fmt::format("seed {}", o.seed)
                             : o.repeat > 1      ? fmt::format("{} x {}", o.corpus, o.repeat)
                                                 : o.corpus;
  fmt::print("krfx_bench --stages: {} MB corpus ({} documents, {}), best of {} round{}\n\n",
             fixed(bytes / 100000, 1), with_commas(docs.size()), source, o.rounds, o.rounds == 1 ? "" : "s");
  fmt::print("| stage | time | µs per mention | share of extract → JSONL |\n|---|---:|---:|---:|\n");
  const std::uint64_t mentions = std::max<std::uint64_t>(1, whole.count);
  std::uint64_t before = 0;
  for (int i = 0; i < kStages; ++i) {
    const std::uint64_t prefix = best[static_cast<std::size_t>(i)].ns;
    const std::uint64_t stage = prefix > before ? prefix - before : 0;
    fmt::print("| {} | {} s | {} | {}% |\n", kNames[static_cast<std::size_t>(i)], seconds(stage),
               fixed(stage / 10 / mentions, 2), fixed(stage * 1000 / whole.ns, 1));
    before = std::max(before, prefix);
  }
  const std::uint64_t rest = whole.ns > before ? whole.ns - before : 0;
  fmt::print("| offsets, records, JSONL writer | {} s | {} | {}% |\n", seconds(rest), fixed(rest / 10 / mentions, 2),
             fixed(rest * 1000 / whole.ns, 1));
  fmt::print("| **extract → JSONL** | {} s ({} MB/s) | {} | 100% |\n", seconds(whole.ns), mb_per_s(bytes, whole.ns),
             fixed(whole.ns / 10 / mentions, 2));
  fmt::print("| bare RE2 scan, for scale | {} s ({} MB/s) | {} | {}% |\n", seconds(scan.ns), mb_per_s(bytes, scan.ns),
             fixed(scan.ns / 10 / mentions, 2), fixed(scan.ns * 1000 / whole.ns, 1));
  fmt::print("\n{} mentions, one per {} bytes\n", with_commas(whole.count), bytes / mentions);

  // Issue 5 asks for extract at 150 MB/s and within 1.5x the bare scan.
  // These parts are each required by the design (normalization, the scan
  // pattern over all of the text, sentence boundaries, the contract's
  // JSONL), at their speed today: what the bars leave beyond them is all
  // that scanning beyond the bare pattern, structure, values, linking and
  // records may take.
  const std::uint64_t normalize_ns = best[0].ns;
  const std::uint64_t sum = scan.ns + normalize_ns + floor.sentences.ns + floor.write.ns;
  const auto times_scan = [&](std::uint64_t ns) { return fixed(scan.ns == 0 ? 0 : ns * 100 / scan.ns, 2); };
  fmt::print("\nFloor: work the design requires, each part timed alone in this run\n\n");
  fmt::print("| part | time | µs per mention | × bare scan |\n|---|---:|---:|---:|\n");
  const auto row = [&](std::string_view name, std::uint64_t ns) {
    fmt::print("| {} | {} s | {} | {} |\n", name, seconds(ns), fixed(ns / 10 / mentions, 2), times_scan(ns));
  };
  row("bare RE2 scan", scan.ns);
  row("normalize", normalize_ns);
  row(fmt::format("sentence boundaries, {} lines holding amounts", with_commas(floor.sentences.count)),
      floor.sentences.ns);
  row(fmt::format("JSONL writer alone, {} MB of records", fixed(floor.write.output / 100000, 1)), floor.write.ns);
  fmt::print("| **sum** | {} s ({} MB/s) | {} | **{}** |\n", seconds(sum), mb_per_s(bytes, sum),
             fixed(sum / 10 / mentions, 2), times_scan(sum));
  // Nanoseconds per mention left by a bar, signed: negative when the floor
  // alone is over it.
  const auto left = [&](std::uint64_t bar_ns) {
    const bool over = sum > bar_ns;
    const std::uint64_t d = over ? sum - bar_ns : bar_ns - sum;
    return fmt::format("{}{}", over ? "-" : "", fixed(d / 10 / mentions, 2));
  };
  const std::uint64_t beyond = whole.ns > sum ? whole.ns - sum : 0;
  fmt::print("\nBeyond the floor, extract spends {} µs per mention. 150 MB/s leaves {} µs per mention for it, "
             "1.5x the bare scan {} µs.\n",
             fixed(beyond / 10 / mentions, 2), left(bytes * 1000 / 150), left(scan.ns * 3 / 2));
  return 0;
}

int run_benchmark(const Options& o, const krfx::Engine& engine) {
  std::uint64_t load_ns = median_load_ns();
  std::uint64_t compiled_load_ns = median_compiled_load_ns();
  std::unique_ptr<krfx::internal::Lexicon> lexicon = build_lexicon();
  const ScanCompile scan_compile = median_scan_compile(*lexicon->scan);

  std::uint64_t generate_start = now_ns();
  std::vector<krfx::Document> docs = generate_corpus(o.seed, o.mb * kMegabyte);
  std::uint64_t generate_ns = now_ns() - generate_start;
  std::uint64_t bytes = corpus_bytes(docs, docs.size());
  std::uint64_t rss_after_corpus = peak_rss_kib();

  Generator figure_gen(o.seed ^ 0xF16u);
  std::vector<std::string> figures;
  for (int i = 0; i < 1000; ++i) figures.push_back(figure_gen.figure());

  // Interleaved so that a slow spell of the machine hits every measurement
  // alike, and the ratio stays meaningful.
  Timed scan, extract_write, extract_only;
  std::uint64_t rounds = 0;
  while (rounds < o.rounds) {
    std::uint64_t round_start = now_ns();
    keep_best(&scan, time_scan(*lexicon->scan, docs, docs.size()));
    keep_best(&extract_write, time_extract(engine, docs, docs.size(), true));
    keep_best(&extract_only, time_extract(engine, docs, docs.size(), false));
    ++rounds;
    if (now_ns() - round_start > kLongRoundNs) break;
  }
  // The scan takes a second where extract may take minutes: it always gets
  // every round, so the denominator of the ratio is never a lone sample.
  for (std::uint64_t r = rounds; r < o.rounds; ++r) keep_best(&scan, time_scan(*lexicon->scan, docs, docs.size()));
  std::uint64_t values_ok = 0;
  Timed values = time_values(engine, figures, 1000000000, &values_ok);
  std::uint64_t rss_end = peak_rss_kib();

  std::uint64_t mentions = extract_write.count;
  fmt::print("krfx_bench: {} MB corpus ({} documents, seed {}), best of {} round{} (scan: {})\n\n",
             fixed(bytes / 100000, 1), with_commas(docs.size()), o.seed, rounds, rounds == 1 ? "" : "s",
             std::max(rounds, o.rounds));
  fmt::print("| measurement | result |\n|---|---|\n");
  fmt::print("| extract → JSONL, null sink | **{} MB/s** ({} s; {} mentions, one per {} bytes; {} MB of JSONL) |\n",
             mb_per_s(bytes, extract_write.ns), seconds(extract_write.ns), with_commas(mentions),
             mentions == 0 ? 0 : bytes / mentions, fixed(extract_write.output / 100000, 1));
  fmt::print("| extract only, no writer | {} MB/s ({} s) |\n", mb_per_s(bytes, extract_only.ns),
             seconds(extract_only.ns));
  fmt::print("| bare RE2 scan, engine's `scan` pattern | **{} MB/s** ({} s; {} matches) |\n",
             mb_per_s(bytes, scan.ns), seconds(scan.ns), with_commas(scan.count));
  fmt::print("| time ratio extract / scan | **{}x** (issue 5 target: at most 1.50x) |\n",
             fixed(extract_write.ns * 100 / scan.ns, 2));
  fmt::print("| value, {} figures repeated | {} values/s ({} µs each; {} MB/s; {} of {} read as figures) |\n",
             with_commas(figures.size()), with_commas(values.count * 1000000000 / values.ns),
             fixed(values.ns / 10 / values.count, 2), mb_per_s(values.output, values.ns),
             with_commas(values_ok * figures.size() / values.count), with_commas(figures.size()));
  fmt::print("| rules load, `load_default`, median of 5 | {} ms |\n", fixed(load_ns / 10000, 2));
  fmt::print("| rules load and compile of every pattern, one thread, median of 5 | {} ms |\n",
             fixed(compiled_load_ns / 10000, 2));
  fmt::print("| `scan` pattern ({} bytes) compiled, then its reversed program at the first match, median of 5 | {} ms + {} ms |\n",
             with_commas(lexicon->scan->pattern().size()), fixed(scan_compile.compile_ns / 10000, 2),
             fixed(scan_compile.reverse_ns / 10000, 2));
  fmt::print("| peak RSS (`ru_maxrss`) | {} MiB ({} MiB before extracting; the corpus is held in memory) |\n",
             mib(rss_end), mib(rss_after_corpus));
  fmt::print("\ncorpus generated in {} s; scan pattern {} bytes\n", seconds(generate_ns),
             with_commas(lexicon->scan->pattern().size()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_options(argc, argv, &o) || (!o.corpus.empty() && !o.stages) || (o.repeat > 1 && o.corpus.empty())) {
    std::cerr << kUsage;
    return 2;
  }
  if (!o.write_jsonl.empty() || !o.write_text.empty()) {
    std::vector<krfx::Document> docs = generate_corpus(o.seed, o.mb * kMegabyte);
    for (const auto& [path, jsonl] : {std::pair{o.write_jsonl, true}, std::pair{o.write_text, false}}) {
      if (path.empty()) continue;
      if (!write_corpus(docs, path, jsonl)) {
        std::cerr << "krfx_bench: cannot write " << path << "\n";
        return 1;
      }
      std::cerr << "krfx_bench: wrote " << docs.size() << " documents, " << corpus_bytes(docs, docs.size())
                << " bytes of text, to " << path << "\n";
    }
    return 0;
  }
  std::unique_ptr<krfx::Engine> engine = load_engine();
  if (o.linearity) return run_linearity(o, *engine);
  return o.stages ? run_stages(o, *engine) : run_benchmark(o, *engine);
}
