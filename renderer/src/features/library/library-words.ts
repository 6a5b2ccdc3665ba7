import type { BootMethod, DownloadView } from '../../../../services/api/contract.js';

/** Words and numbers for the Library page (pure, unit-testable). */

export const METHOD_WORDS: Record<BootMethod, string> = {
  extracted: 'Kernel and initrd over HTTP',
  wimboot: 'wimboot (Windows)',
  sanboot: 'sanboot (ISO over HTTP)',
  memdisk: 'memdisk (ISO in RAM, BIOS)',
};

export function bytesText(n: number | null | undefined): string {
  if (n === null || n === undefined) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function etaText(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `${seconds} s left`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min left`;
  return `${(seconds / 3600).toFixed(1)} h left`;
}

export function downloadLine(d: DownloadView): string {
  const of = d.total ? ` of ${bytesText(d.total)}` : '';
  switch (d.state) {
    case 'queued':
      return d.bytes > 0 ? `Waiting to resume at ${bytesText(d.bytes)}${of}` : 'Waiting in the queue';
    case 'downloading':
      return `${bytesText(d.bytes)}${of} · ${bytesText(d.bytesPerSecond)}/s ${etaText(d.etaSeconds) ? '· ' + etaText(d.etaSeconds) : ''}`.trim();
    case 'paused':
      return `Paused at ${bytesText(d.bytes)}${of}`;
    case 'verifying':
      return 'Checking it against the publisher’s checksum…';
    case 'done':
      return `Verified: ${d.verification ?? ''}`;
    case 'failed':
      return d.error ?? 'Failed';
  }
}

export function percent(d: DownloadView): number {
  if (!d.total) return 0;
  return Math.min(100, Math.round((d.bytes / d.total) * 100));
}
