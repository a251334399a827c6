#if canImport(Glibc)
  import Glibc
#endif

/// Allocator settings for long streaming commands.
public enum MemoryTuning {
  /// Keeps freed memory at the top of the heap instead of returning it to the system after
  /// every record.
  ///
  /// NB: glibc trims the heap whenever its free top exceeds 128 KiB; an import allocates and
  /// frees a few hundred KiB per record, so without this it makes tens of thousands of `brk`
  /// calls per thousand documents. Peak memory grows by at most the pad (8 MiB). `mallopt`
  /// lives in <malloc.h>, which Swift's Glibc module does not export, so it is looked up.
  public static func keepFreedMemory() {
    #if canImport(Glibc)
      typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
      let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
      let topPad: Int32 = -2  // M_TOP_PAD
      _ = mallopt(trimThreshold, 32 << 20)
      _ = mallopt(topPad, 8 << 20)
    #endif
  }
}
