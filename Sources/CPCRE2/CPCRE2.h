// Umbrella header for Debian's PCRE2 (8-bit code units), through pkg-config `libpcre2-8`.
// The width must be set before the header: Swift then sees the `_8` functions.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/// PCRE2_ZERO_TERMINATED and PCRE2_UNSET are macros Swift can't import.
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }
