import type { RemoteInfo, Socket } from 'node:dgram';
import type { TftpTransferEvent } from '../shared/events.js';
import type { Logger } from '../core/logger.js';
import type { Runtime } from '../core/runtime.js';
import { BlockSource } from './block-source.js';
import { ERR, encodeError, parsePacket } from './codec.js';
import type { TftpConfig } from './config.js';
import { emptyTftpStats, type TftpStats } from './views.js';
import { negotiate, type NegotiationLimits } from './negotiate.js';
import { FileCache } from './file-cache.js';
import { openRequested, readAheadFor } from './open-file.js';

/** A file openRequested() found and opened. */
type OpenedFile = Extract<Awaited<ReturnType<typeof openRequested>>, { ok: true }>;
type Negotiated = ReturnType<typeof negotiate>;
import { Transfer, type TransferResult } from './transfer.js';

/**
 * The TFTP request handler: the service hands it each packet that reaches the request port (handle());
 * each accepted read gets its own socket (RFC 1350 §4, opened by the service) and a Transfer. Read-only:
 * write requests get an error packet. Malformed packets are dropped and counted. Every transfer reports
 * start, progress (at most 4 per second) and end through onTransfer; the handler binds nothing and knows no
 * bus (service.ts wires both).
 */
export interface TftpServerOptions {
  bootRoot: string;
  config: TftpConfig;
  /** Block size that fits the interface MTU (see negotiate.blockSizeForMtu). */
  mtuBlockSize: number;
  runtime: Runtime;
  log: Logger;
  /** Sends a packet from the request port (error answers to refused requests). */
  send: (packet: Buffer, port: number, address: string) => void;
  /** A fresh socket for one transfer: its own TID (RFC 1350 §4). */
  openTransferSocket: () => Promise<Socket>;
  closeTransferSocket: (socket: Socket | undefined) => Promise<void>;
  /** Every transfer's start, progress and end, and every refusal. */
  onTransfer: (event: TftpTransferEvent) => void;
}

export type { TftpStats };

interface Active {
  id: string;
  key: string;
  file: string;
  transfer: Transfer | undefined;
  socket: Socket | undefined;
  event: TftpTransferEvent;
  startedAt: number;
  lastReported: number;
}

const PROGRESS_EVERY_MS = 250;

export class TftpServer {
  private readonly active = new Map<string, Active>();
  private opening = 0;
  private seq = 0;
  private progressTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  readonly stats: TftpStats = emptyTftpStats();
  /** First stages held in memory for the server's lifetime (file-cache.ts). */
  readonly fileCache = new FileCache();

  constructor(private readonly o: TftpServerOptions) {}

  get limits(): NegotiationLimits {
    const c = this.o.config;
    return {
      maxBlockSize: c.maxBlockSize,
      mtuBlockSize: this.o.mtuBlockSize,
      maxWindowSize: c.maxWindowSize,
      maxBytesInFlight: c.maxBytesInFlight,
      defaultTimeoutMs: c.timeoutMs,
    };
  }

  /** Starts the progress reports (the service binds the request port and calls handle()). */
  start(): void {
    this.stopping = false;
    this.progressTimer = setInterval(() => this.reportProgress(), PROGRESS_EVERY_MS);
    this.progressTimer.unref();
  }

  /** Aborts the running transfers and waits briefly for them to close their sockets. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.progressTimer);
    for (const a of this.active.values()) a.transfer?.abort(ERR.notDefined, 'Server is shutting down.');
    for (let i = 0; i < 50 && this.active.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    this.fileCache.clear();
  }

  /** One packet that reached the request port. Never throws: what it cannot use is dropped and counted. */
  handle(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.stopping) return;
    const p = parsePacket(msg);
    if (p.kind === 'malformed') {
      this.stats.malformed++;
      this.o.log.debug(`TFTP: dropped a malformed packet from ${rinfo.address}:${rinfo.port} (${p.reason}).`);
      return;
    }
    if (p.kind !== 'rrq' && p.kind !== 'wrq') {
      this.stats.strays++; // DATA/ACK/ERROR on the request port: late packets of a finished transfer
      return;
    }
    this.stats.requests++;
    const key = `${rinfo.address}:${rinfo.port}`;
    const client = rinfo.address;
    if (p.kind === 'wrq') {
      this.refuse(
        rinfo,
        ERR.accessViolation,
        'This TFTP server is read-only.',
        p.filename,
        'write',
        `Refused an upload of "${p.filename}" from ${client}: the TFTP server is read-only.`,
      );
      return;
    }
    if (p.mode !== 'octet' && p.mode !== 'netascii') {
      this.refuse(
        rinfo,
        ERR.illegalOperation,
        `Unsupported transfer mode "${p.mode}".`,
        p.filename,
        'mode',
        `Refused "${p.filename}" from ${client}: transfer mode "${p.mode}" is not supported (octet and netascii are).`,
      );
      return;
    }
    const existing = this.active.get(key);
    if (existing) {
      // A retransmitted request while we are still negotiating: the transfer already answers it.
      if (existing.file === p.filename && !existing.transfer?.started) {
        this.stats.duplicates++;
        return;
      }
      existing.transfer?.abort(ERR.notDefined, 'Superseded by a new request from the same client port.');
    }
    if (this.active.size + this.opening >= this.o.config.maxTransfers) {
      this.stats.busy++;
      this.refuse(
        rinfo,
        ERR.notDefined,
        `Server busy: ${this.o.config.maxTransfers} transfers running; try again shortly.`,
        p.filename,
        'busy',
        `Refused "${p.filename}" from ${client}: ${this.o.config.maxTransfers} transfers are already running (tftp.maxTransfers).`,
      );
      return;
    }
    void this.serve(rinfo, key, p.filename, p.mode, p.options);
  }

  private refuse(
    rinfo: RemoteInfo,
    code: number,
    clientText: string,
    file: string,
    refused: string,
    logText: string,
  ): void {
    this.stats.refused++;
    this.o.log.warn(logText);
    this.o.send(encodeError(code, clientText), rinfo.port, rinfo.address);
    const id = this.nextId();
    const base = {
      id,
      client: rinfo.address,
      file,
      blksize: 512,
      windowsize: 1,
      bytesSent: 0,
      retransmits: 0,
      durationMs: 0,
      bytesPerSecond: 0,
    };
    this.o.onTransfer({ ...base, phase: 'start' });
    this.o.onTransfer({ ...base, phase: 'end', result: 'error', error: logText, refused });
  }

  private nextId(): string {
    return `tftp-${Date.now().toString(36)}-${++this.seq}`;
  }

  /** One accepted read request: open the file, negotiate, run the transfer, report its end. */
  private async serve(
    rinfo: RemoteInfo,
    key: string,
    filename: string,
    mode: 'octet' | 'netascii',
    options: Map<string, string>,
  ): Promise<void> {
    const opened = await this.openFile(rinfo, filename, mode, readAheadFor(options.get('blksize')));
    if (!opened) return;
    if (this.stopping) {
      opened.stream.destroy();
      return;
    }
    const neg = negotiate(options, this.limits, opened.size);
    const entry = this.track(rinfo, key, filename, mode, opened, neg);
    const result = await this.runTransfer(entry, rinfo, opened, neg);
    await this.o.closeTransferSocket(entry.socket);
    if (this.active.get(key) === entry) this.active.delete(key);
    this.stats.active = this.active.size;
    this.finishEvent(entry, result, neg.askedTsize);
  }

  /** Opens the requested file (boot root or virtual), or refuses the request with the reason. */
  private async openFile(
    rinfo: RemoteInfo,
    filename: string,
    mode: 'octet' | 'netascii',
    readAhead: number,
  ): Promise<OpenedFile | undefined> {
    this.opening++;
    let opened: Awaited<ReturnType<typeof openRequested>> | undefined;
    try {
      opened = await openRequested({
        requested: filename,
        mode,
        client: { address: rinfo.address },
        bootRoot: this.o.bootRoot,
        runtime: this.o.runtime,
        caseInsensitive: this.o.config.caseInsensitive,
        readAhead,
        cache: this.fileCache,
      });
    } catch (err) {
      opened = undefined;
      this.o.log.error(`TFTP: could not open "${filename}" for ${rinfo.address}: ${(err as Error).message}`);
    } finally {
      this.opening--;
    }
    if (opened?.ok) return opened;
    if (opened) {
      this.refuse(
        rinfo,
        opened.code,
        opened.clientMessage,
        filename,
        opened.reason,
        `TFTP ${rinfo.address}: ${opened.message}`,
      );
    } else {
      this.refuse(
        rinfo,
        ERR.notDefined,
        'Server error.',
        filename,
        'error',
        `TFTP ${rinfo.address}: server error opening "${filename}".`,
      );
    }
    return undefined;
  }

  /** Registers the transfer as active, with the event it reports under. */
  private track(
    rinfo: RemoteInfo,
    key: string,
    filename: string,
    mode: 'octet' | 'netascii',
    opened: OpenedFile,
    neg: Negotiated,
  ): Active {
    const id = this.nextId();
    const entry: Active = {
      id,
      key,
      file: filename,
      transfer: undefined,
      socket: undefined,
      startedAt: Date.now(),
      lastReported: -1,
      event: {
        id,
        phase: 'start',
        client: rinfo.address,
        file: opened.name,
        size: opened.size,
        blksize: neg.blksize,
        windowsize: neg.windowsize,
        bytesSent: 0,
        retransmits: 0,
        durationMs: 0,
        bytesPerSecond: 0,
        mode,
        virtual: opened.virtual,
      },
    };
    this.active.set(key, entry);
    this.stats.active = this.active.size;
    return entry;
  }

  /** Opens the transfer's own socket and sends the file; resolves with how it ended. */
  private async runTransfer(
    entry: Active,
    rinfo: RemoteInfo,
    opened: OpenedFile,
    neg: Negotiated,
  ): Promise<TransferResult> {
    try {
      entry.socket = await this.o.openTransferSocket();
      const transfer = new Transfer({
        socket: entry.socket,
        client: { address: rinfo.address, port: rinfo.port },
        source: new BlockSource(opened.stream, neg.blksize),
        blksize: neg.blksize,
        windowsize: neg.windowsize,
        timeoutMs: neg.timeoutMs,
        retries: this.o.config.retries,
        oack: neg.oack,
      });
      entry.transfer = transfer;
      this.o.onTransfer({ ...entry.event });
      this.o.log.debug(
        `TFTP ${rinfo.address}: sending "${opened.name}" (blksize ${neg.blksize}, windowsize ${neg.windowsize}).`,
      );
      transfer.start();
      return await transfer.finished;
    } catch (err) {
      opened.stream.destroy();
      return { result: 'error', error: (err as Error).message };
    }
  }

  private snapshot(entry: Active): TftpTransferEvent {
    const t = entry.transfer;
    const durationMs = Date.now() - entry.startedAt;
    const bytesSent = t?.bytesAcked ?? 0;
    return {
      ...entry.event,
      bytesSent,
      retransmits: t?.retransmits ?? 0,
      durationMs,
      bytesPerSecond: durationMs > 0 ? Math.round((bytesSent * 1000) / durationMs) : 0,
    };
  }

  private finishEvent(entry: Active, r: TransferResult, askedTsize: boolean): void {
    const ev: TftpTransferEvent = { ...this.snapshot(entry), phase: 'end', result: r.result };
    if (r.result !== 'ok') ev.error = r.error;
    // OVMF reads tsize from the OACK, then ends with an ERROR and asks again: a probe, not a failure.
    const probe = r.result === 'aborted' && askedTsize && ev.bytesSent === 0 && 'clientError' in r;
    if (probe) ev.sizeProbe = true;
    this.o.onTransfer(ev);
    const who = `TFTP ${ev.client}`;
    if (r.result === 'ok') {
      this.stats.completed++;
      const mib = ev.bytesPerSecond / 1048576;
      this.o.log.info(
        `${who}: sent "${ev.file}" (${ev.bytesSent} bytes, ${mib.toFixed(1)} MiB/s, ${ev.retransmits} retransmits).`,
      );
    } else if (probe) {
      this.o.log.debug(`${who}: size probe for "${ev.file}" answered (${ev.size ?? '?'} bytes).`);
    } else {
      this.stats.failed++;
      this.o.log.warn(`${who}: transfer of "${ev.file}" ended (${r.result}): ${r.error}.`);
    }
  }

  private reportProgress(): void {
    for (const entry of this.active.values()) {
      if (!entry.transfer || entry.transfer.done) continue;
      const bytes = entry.transfer.bytesAcked;
      if (bytes === entry.lastReported) continue;
      entry.lastReported = bytes;
      this.o.onTransfer({ ...this.snapshot(entry), phase: 'progress' });
    }
  }
}
