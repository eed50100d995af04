#pragma once
// CRC32C (Castagnoli), the checksum of every stored block. Hardware instructions where the CPU has
// them (SSE4.2 on x86_64, the CRC extension on arm64), chosen at run time; a bitwise fallback otherwise.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
__attribute__((target("sse4.2")))
static inline uint32_t strata_crc32c_hw(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) { uint64_t v; memcpy(&v, p, 8); c = __builtin_ia32_crc32di(c, v); p += 8; n -= 8; }
    uint32_t c32 = (uint32_t)c;
    while (n > 0) { c32 = __builtin_ia32_crc32qi(c32, *p); p++; n--; }
    return c32;
}
static inline int strata_crc32c_has_hw(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_SSE4_2) != 0;
}
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>
static inline uint32_t strata_crc32c_hw(uint32_t crc, const uint8_t *p, size_t n) {
    while (n >= 8) { uint64_t v; memcpy(&v, p, 8); crc = __crc32cd(crc, v); p += 8; n -= 8; }
    while (n > 0) { crc = __crc32cb(crc, *p); p++; n--; }
    return crc;
}
static inline int strata_crc32c_has_hw(void) { return 1; }
#else
static inline uint32_t strata_crc32c_hw(uint32_t crc, const uint8_t *p, size_t n) { (void)p; (void)n; return crc; }
static inline int strata_crc32c_has_hw(void) { return 0; }
#endif

static inline uint32_t strata_crc32c_sw(uint32_t crc, const uint8_t *p, size_t n) {
    while (n-- > 0) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return crc;
}

/// CRC32C of `n` bytes, continuing from `crc` (0 to start). Pre- and post-conditioned as in RFC 3720.
static inline uint32_t strata_crc32c(uint32_t crc, const void *data, size_t n) {
    static int hw = -1;
    if (hw < 0) hw = strata_crc32c_has_hw();
    crc = ~crc;
    crc = hw ? strata_crc32c_hw(crc, (const uint8_t *)data, n) : strata_crc32c_sw(crc, (const uint8_t *)data, n);
    return ~crc;
}
