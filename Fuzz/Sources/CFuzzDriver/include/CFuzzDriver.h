// libFuzzer's driver, for a fuzzer that has its own `main` (SwiftPM renames an executable's entry point,
// so libFuzzer's `main` cannot be used).
#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
