// Contract spellings of the Mention enums (output contract v1).
#include <krfx/mention.h>

namespace krfx {

const char* to_string(Bound b) {
  switch (b) {
    case Bound::kNone: return "";
    case Bound::kGe: return "ge";
    case Bound::kGt: return "gt";
    case Bound::kLe: return "le";
    case Bound::kLt: return "lt";
  }
  return "";  // unreachable for valid enum values; keeps -Wreturn-type quiet
}

const char* to_string(Role r) {
  switch (r) {
    case Role::kPrimary: return "primary";
    case Role::kConversion: return "conversion";
  }
  return "primary";
}

}  // namespace krfx
