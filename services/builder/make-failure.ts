/**
 * Known failures in make's log, said plainly for the technician (docs/ipxe-notes.md §4 has the exact
 * messages make and the linker print for each). Anything else: the last error lines, capped.
 */
export function explainFailure(log: string): string {
  if (/lzma\.h: No such file/.test(log))
    return 'lzma.h is missing: install liblzma-dev ("sudo apt-get install liblzma-dev").';
  if (/cannot find -llzma/.test(log)) return 'The LZMA library is missing: install liblzma-dev.';
  if (/could not find isolinux\.bin/.test(log)) return 'isolinux.bin is missing: install isolinux.';
  if (/mformat: not found|mpartition: not found/.test(log)) return 'mtools is missing: install mtools.';
  if (/cannot find a suitable mkisofs/.test(log)) return 'No ISO writer: install xorriso.';
  if (/unrecognized command-line option '-mlittle-endian'/.test(log))
    return 'ARM64 needs the cross compiler: install gcc-aarch64-linux-gnu.';
  if (/Weird: read size .* not a multiple of sector size/.test(log))
    return 'This mtools cannot write iPXE’s EFI USB layout: use the .iso (it is hybrid) or copy ipxe.efi to EFI/BOOT/BOOTX64.EFI on a FAT stick.';
  const err = log
    .split(/\r?\n/)
    .filter((l) => /error|Error \d/.test(l))
    .slice(-2)
    .join(' ')
    .trim();
  return err ? `Last error: ${err.slice(0, 400)}` : '';
}
