/**
 * Paces keystrokes into a VM's serial console. On BIOS, SeaBIOS's serial console (src/sercon.c) moves serial
 * input into the BIOS keyboard buffer, which holds 15 keys (src/kbd.c, the BDA ring of 16 words); iPXE reads
 * that buffer only as often as it polls, so a burst (a pasted or test-typed line) loses its tail. Sending at
 * most `keysPerTick` keys every `tickMs` keeps far ahead of any person's typing and never overflows it.
 * An escape sequence (arrow and function keys: ESC [ … final byte, ESC O x) counts as one key and is never
 * split, so iPXE's key parser (src/core/ansiesc.c, getkey timeout) sees it whole.
 */
export class SerialPacer {
  private readonly keys: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (data: string) => void,
    private readonly keysPerTick = 8,
    private readonly tickMs = 40,
  ) {}

  push(data: string): void {
    this.keys.push(...splitKeys(data));
    if (!this.timer) this.drain();
  }

  /** Drops what is still queued (the VM stopped). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.keys.length = 0;
  }

  private drain(): void {
    this.timer = undefined;
    if (this.keys.length === 0) return;
    this.write(this.keys.splice(0, this.keysPerTick).join(''));
    if (this.keys.length > 0) this.timer = setTimeout(() => this.drain(), this.tickMs);
  }
}

/** Splits terminal input into keys: one character, or one whole escape sequence. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    let end = i + 1;
    if (data[i] === '\x1b' && (data[i + 1] === '[' || data[i + 1] === 'O')) {
      end = i + 2;
      if (data[i + 1] === 'O') end = Math.min(data.length, end + 1);
      else {
        // CSI: parameter bytes until a final byte in 0x40–0x7E (ECMA-48 §5.4).
        while (end < data.length && !/[\x40-\x7e]/.test(data[end]!)) end++;
        end = Math.min(data.length, end + 1);
      }
    }
    keys.push(data.slice(i, end));
    i = end;
  }
  return keys;
}
