#ifndef WSTAP_CFUZZERDRIVER_H
#define WSTAP_CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked in by -sanitize=fuzzer). SwiftPM links executables with
/// their own entry point (WSTapFuzz_main), so the harness starts libFuzzer itself through this call
/// instead of relying on libFuzzer's main().
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
