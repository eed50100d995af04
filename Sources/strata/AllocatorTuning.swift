/// glibc's malloc hands freed memory at the top of the heap back to the kernel and serves large
/// allocations with fresh mappings, so a scan that decodes 16,384-row blocks (64–128 KiB per column)
/// through the block cache faults new pages in for nearly every block. Keeping freed memory in the
/// process, as jemalloc-based engines do, made 100M-row full scans about 10% faster (Benchmarks/RESULTS.md).
enum AllocatorTuning {
    static func apply() {
        #if os(Linux)
            // <malloc.h>: M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3 (the Glibc module does not export mallopt).
            _ = mallopt(-1, 1 << 30)
            _ = mallopt(-3, 32 << 20)
        #endif
    }
}

#if os(Linux)
    @_silgen_name("mallopt")
    private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
