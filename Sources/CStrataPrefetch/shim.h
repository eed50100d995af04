#pragma once
// A cache prefetch hint, for hash-table probes issued in batches: while one key's slot is read, the
// slots of the next keys are already on their way from memory. Swift has no prefetch of its own.

/// Starts loading the cache line at `address` for reading; never faults.
static inline void strata_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
