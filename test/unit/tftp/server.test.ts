import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../../services/core/bus.js';
import { createLogger } from '../../../services/core/logger.js';
import { Runtime } from '../../../services/core/runtime.js';
import type { TftpTransferEvent } from '../../../services/shared/events.js';
import { ERR, OP_ERROR, OP_WRQ } from '../../../services/tftp/codec.js';
import { tftpConfigSchema } from '../../../services/tftp/config.js';
import { TftpServer } from '../../../services/tftp/server.js';

/** The handler in memory: packets handed in, answers and reports collected; no socket is ever bound. */
function setup(t: { after: (fn: () => void) => void }) {
  const bootRoot = mkdtempSync(join(tmpdir(), 'bootlab-tftp-handler-'));
  t.after(() => rmSync(bootRoot, { recursive: true, force: true }));
  const sent: { packet: Buffer; port: number; address: string }[] = [];
  const events: TftpTransferEvent[] = [];
  const server = new TftpServer({
    bootRoot,
    config: tftpConfigSchema.parse({}),
    mtuBlockSize: 1468,
    runtime: new Runtime(),
    log: createLogger(new EventBus(), 'tftp', { quiet: true }),
    send: (packet, port, address) => sent.push({ packet, port, address }),
    openTransferSocket: () => Promise.reject(new Error('no socket in this test')),
    closeTransferSocket: async () => {},
    onTransfer: (event) => events.push(event),
  });
  return { server, sent, events };
}

const client = { address: '10.77.0.9', port: 2000, family: 'IPv4' as const, size: 0 };

test('a write request is answered through the injected send and reported as refused', (t) => {
  const { server, sent, events } = setup(t);
  server.handle(Buffer.from([0, OP_WRQ, ...Buffer.from('upload.bin\0octet\0')]), client);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.packet.readUInt16BE(0), OP_ERROR);
  assert.equal(sent[0]!.packet.readUInt16BE(2), ERR.accessViolation);
  assert.deepEqual([sent[0]!.address, sent[0]!.port], ['10.77.0.9', 2000]);
  assert.deepEqual(
    events.map((e) => [e.phase, e.refused]),
    [
      ['start', undefined],
      ['end', 'write'],
    ],
  );
  assert.equal(server.stats.refused, 1);
});

test('malformed packets are dropped and counted, nothing is sent', (t) => {
  const { server, sent } = setup(t);
  server.handle(Buffer.from([0xff]), client);
  server.handle(Buffer.from([0, 1, 0x41]), client);
  assert.equal(sent.length, 0);
  assert.equal(server.stats.malformed, 2);
});
