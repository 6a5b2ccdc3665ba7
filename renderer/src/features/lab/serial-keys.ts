/**
 * What xterm.js sends for a key, in the form a serial console's firmware understands. iPXE's getkey
 * (src/core/getkey.c) reads ESC then, if the next byte is a letter, returns Ctrl-<letter>: so xterm's SS3
 * forms (ESC O A for an arrow in application-cursor mode, ESC O P..S for F1-F4) would arrive as Ctrl-O and
 * a stray letter. Send them as CSI sequences instead (ESC [ A; F1-F4 as VT220's ESC [ 11~..14~), which iPXE
 * decodes as KEY_ANSI (src/include/ipxe/keys.h) and SeaBIOS and GRUB accept too.
 */
const SS3_TO_CSI: Record<string, string> = {
  A: '\x1b[A',
  B: '\x1b[B',
  C: '\x1b[C',
  D: '\x1b[D',
  H: '\x1b[H',
  F: '\x1b[F',
  P: '\x1b[11~',
  Q: '\x1b[12~',
  R: '\x1b[13~',
  S: '\x1b[14~',
};

export function toSerialKeys(data: string): string {
  // eslint-disable-next-line no-control-regex
  return data.replace(/\x1bO([ABCDHFPQRS])/g, (_, k: string) => SS3_TO_CSI[k]!);
}
