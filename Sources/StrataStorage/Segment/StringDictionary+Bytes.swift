extension StringDictionary {
    /// Calls `body` with the dictionary's concatenated UTF-8 bytes and its `count + 1` offsets, so
    /// that a kernel can compare many values (a sorted merge against another key list) without a
    /// closure call or a `String` per value.
    package func withStorage<R>(
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt32>) throws -> R
    ) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in try offsets.withUnsafeBufferPointer { o in try body(b, o) } }
    }
}
