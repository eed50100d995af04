#ifndef C_FUZZER_DRIVER_H
#define C_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, LLVM 13 and later), linked by `-sanitize=fuzzer`. The targets call it
/// from their own `main`: SwiftPM links Linux executables with `--defsym main=<module>_main`, so a target
/// without a Swift `main` (the usual `-parse-as-library` setup, where libFuzzer supplies `main`) fails to link.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
