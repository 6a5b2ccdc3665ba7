import type { ClientSession, DhcpEvent, HttpDownloadEvent, TftpTransferEvent } from '../shared/events.js';

/**
 * Per-stage timing of one test boot, in milliseconds since the VM started. Fed from the serial console
 * (firmware and iPXE print every step there, so this works the same against any server) and, inside the
 * app, from the bus events of the VM's MAC. Each stage records when it ENDED; durations are differences.
 */
export const BOOT_STAGES = [
  'firmware-dhcp',
  'first-stage',
  'ipxe-dhcp',
  'script',
  'kernel',
  'marker',
  // Outcomes that are not a boot: the stage list must not read "kernel" when the VM ended here.
  'local-disk',
  'no-bootable-device',
  'kernel-panic',
  'uefi-shell',
] as const;
export type BootStage = (typeof BOOT_STAGES)[number];

/**
 * Strips ANSI/VT100 escapes (iPXE colours, SeaBIOS sercon cursor moves), carriage returns and backspaces
 * (iPXE draws download progress as " 17%" then backspaces over it: src/usr/imgmgmt.c via monojob.c).
 */
export function cleanConsole(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?=]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1bc|\r|\x08/g, '');
}

/** "http://10.77.0.1/vmlinuz... 17%    36%     ok" once progress and backspaces are stripped. */
const DOWNLOAD_OK = /(?:https?|tftp):\/\/(\S+)\.\.\.(?: *\d+%)* *ok/g;

/**
 * Downloads that are not a kernel or initrd: menu scripts and the menu's check-in calls
 * (services/ipxe/chain.ts CHECKIN_PATH), which iPXE fetches right before `exit` to the local disk too.
 */
function isBootFile(url: string): boolean {
  const path = url.replace(/^[^/]*/, '').split('?')[0] ?? '';
  return !/^\/checkin$/.test(path) && !/\.(ipxe|cfg)$/i.test(path);
}
const TFTP_OK = /tftp:\/\/\S+\.\.\.(?: *\d+%)* *ok/g;

interface Rule {
  re: RegExp;
  apply: (t: number, m: RegExpExecArray) => void;
}

const MAX_TEXT = 4 * 1024 * 1024;

export class BootTimeline {
  readonly stages: Partial<Record<BootStage, number>> = {};
  private text = '';
  private readonly rules: Rule[];
  private readonly positions: number[] = [];

  /** @param marker the text whose appearance on the console ends the boot (the payload's marker line). */
  constructor(private readonly marker?: string) {
    this.rules = [
      // OVMF PxeBcDxe: "Station IP address is 10.77.0.100" once its DHCP is done.
      { re: /Station IP address is \d+\.\d+\.\d+\.\d+/g, apply: (t) => this.first('firmware-dhcp', t) },
      // OVMF: the NBP (first stage, e.g. ipxe.efi) arrived over TFTP.
      { re: /NBP file downloaded successfully/g, apply: (t) => this.first('first-stage', t) },
      // iPXE (src/usr/ifmgmt.c): "Configuring (net0 52:54:...)...... ok". The first one is the firmware's
      // own DHCP when the NIC ROM is iPXE; the last one before the script is iPXE's DHCP.
      {
        re: /Configuring \(net\d[^)]*\)[. ]*ok/g,
        apply: (t) => {
          this.first('firmware-dhcp', t);
          if (this.stages.script === undefined) this.stages['ipxe-dhcp'] = t;
        },
      },
      // iPXE fetching a first stage over TFTP (undionly.kpxe, ipxe.efi): "tftp://10.77.0.1/undionly.kpxe... ok"
      { re: new RegExp(TFTP_OK), apply: (t) => this.first('first-stage', t) },
      // iPXE (src/usr/imgmgmt.c imgstat): "boot.ipxe : 136 bytes [script]"
      { re: / : \d+ bytes \[script\]/g, apply: (t) => this.first('script', t) },
      // Every download after the script (kernel, then initrd); the last one ends the "kernel" stage.
      {
        re: new RegExp(DOWNLOAD_OK),
        apply: (t, m) => {
          if (this.stages.script !== undefined && this.stages.marker === undefined && isBootFile(m[1] ?? ''))
            this.stages.kernel = t;
        },
      },
      // Bootlab's local-disk entry (services/menu/ipxe-entries.ts) and SeaBIOS's next boot device.
      {
        re: /Booting from the local disk|Booting from Hard Disk/g,
        apply: (t) => this.first('local-disk', t),
      },
      { re: /No bootable device\./g, apply: (t) => this.first('no-bootable-device', t) },
      { re: /Kernel panic - not syncing/g, apply: (t) => this.first('kernel-panic', t) },
      { re: /UEFI Interactive Shell/g, apply: (t) => this.first('uefi-shell', t) },
    ];
  }

  /** Feeds console output that arrived `t` ms after the VM started. */
  console(chunk: string, t: number): void {
    // A boot is over long before this; a VM left at a shell for hours must not grow without bound.
    if (this.text.length > MAX_TEXT) return;
    const from = this.text.length;
    this.text += cleanConsole(chunk);
    this.rules.forEach((rule, i) => {
      // Each rule resumes after its own last match, so a line split across chunks still matches, once.
      rule.re.lastIndex = this.positions[i] ?? 0;
      let m: RegExpExecArray | null;
      while ((m = rule.re.exec(this.text)) !== null) {
        this.positions[i] = rule.re.lastIndex;
        rule.apply(t, m);
      }
    });
    if (
      this.marker &&
      this.stages.marker === undefined &&
      this.text.includes(this.marker, Math.max(0, from - this.marker.length))
    ) {
      this.stages.marker = t;
    }
  }

  /**
   * Feeds the statistics' session of this VM's machine (inside the app): the servers' view of its boot,
   * already joined by MAC and IP (services/stats/sessions.ts), so the lab does not join raw events again.
   * A stage the session reached ends the timeline stage before it.
   */
  session(s: ClientSession, t: number): void {
    const seen = s.stageTimes ?? {};
    if (seen['first-stage'] || seen.ipxe) this.first('firmware-dhcp', t);
    if (seen.ipxe) {
      this.first('first-stage', t);
      if (this.stages.script === undefined) this.first('ipxe-dhcp', t);
    }
    if ((seen.script || seen.menu) && this.stages.script === undefined) this.stages.script = t;
    if (this.stages.marker === undefined && (s.stage === 'kernel' || s.stage === 'handed-over'))
      this.stages.kernel = t;
  }

  /** Feeds one raw server event (the timeline's unit tests; the app feeds sessions). */
  event(type: 'dhcp.ack', payload: DhcpEvent, t: number): void;
  event(type: 'tftp.transfer', payload: TftpTransferEvent, t: number): void;
  event(type: 'http.download', payload: HttpDownloadEvent, t: number): void;
  event(type: string, payload: DhcpEvent | TftpTransferEvent | HttpDownloadEvent, t: number): void {
    if (type === 'dhcp.ack') {
      const p = payload as DhcpEvent;
      this.first('firmware-dhcp', t);
      if (p.isIpxe && this.stages.script === undefined) this.stages['ipxe-dhcp'] = t;
    } else if (type === 'tftp.transfer') {
      const p = payload as TftpTransferEvent;
      if (p.phase === 'end' && p.result === 'ok') this.first('first-stage', t);
    } else if (type === 'http.download') {
      const p = payload as HttpDownloadEvent;
      if (p.phase !== 'end' || p.result !== 'completed') return;
      if (this.stages.script === undefined) this.stages.script = t;
      else if (this.stages.marker === undefined && isBootFile(p.path)) this.stages.kernel = t;
    }
  }

  /** The whole console so far, escapes removed. */
  consoleText(): string {
    return this.text;
  }

  /** Stage end times and durations (from the previous recorded stage), in ms, rounded. */
  summary(): { stage: BootStage; atMs: number; durationMs: number }[] {
    const out: { stage: BootStage; atMs: number; durationMs: number }[] = [];
    let prev = 0;
    for (const stage of BOOT_STAGES) {
      const at = this.stages[stage];
      if (at === undefined) continue;
      out.push({ stage, atMs: Math.round(at), durationMs: Math.round(at - prev) });
      prev = at;
    }
    return out;
  }

  /** One line for test output, e.g. "firmware-dhcp 5.7s | script 5.9s (+0.2) | ... | marker 20.6s (+14.0)". */
  format(): string {
    return this.summary()
      .map((s) => `${s.stage} ${(s.atMs / 1000).toFixed(1)}s (+${(s.durationMs / 1000).toFixed(1)})`)
      .join(' | ');
  }

  private first(stage: BootStage, t: number): void {
    if (this.stages[stage] === undefined) this.stages[stage] = t;
  }
}
