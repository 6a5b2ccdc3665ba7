import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureBootPayload, markerCmdline, markerLine, newMarker } from '../../helpers/boot-payload.js';
import { labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { LabNet } from '../../helpers/lab-net.js';
import { ReferenceStack } from '../../helpers/lab-reference.js';
import { waitFor } from '../../helpers/netns.js';

/**
 * The app's Test boot feature (LabManager) end to end, run inside the lab namespace by a harness: it
 * creates its own tap on the served bridge, streams the console as lab.console events and reports the
 * exit with the stage timeline; without the bridge it falls back to QEMU user networking and says what is
 * not exercised. The reference stack serves, so this proves the feature independently of the servers.
 */
const skip = labBootUnavailableReason('bios');
const harness = fileURLToPath(new URL('./lab-manager-harness.ts', import.meta.url));

interface Line {
  type: string;
  data?: string;
  state?: string;
  stages?: { stage: string; atMs: number }[];
  vm?: { network: string; note?: string; mac: string };
  message?: string;
}

describe('Test boot (LabManager) in the lab', { skip }, () => {
  let lab: LabNet;
  let ref: ReferenceStack;
  const payload = skip ? undefined : ensureBootPayload();

  before(async () => {
    lab = LabNet.create();
    ref = await ReferenceStack.start(lab, { payload: payload!, cmdline: markerCmdline('unset') });
  });
  after(() => {
    ref?.stop();
    lab?.destroy();
  });

  async function runHarness(request: object): Promise<Line[]> {
    const child = lab.ns.spawn(process.execPath, [
      '--import',
      'tsx',
      harness,
      JSON.stringify(request),
      ref.httpBase,
    ]);
    const lines: Line[] = [];
    let buf = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, nl)) as Line);
        buf = buf.slice(nl + 1);
      }
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 150_000).unref()),
    ]);
    if (code === 'timeout') child.kill('SIGTERM');
    await waitFor('harness exit', () => child.exitCode !== null || child.signalCode !== null, 10_000);
    assert.notEqual(code, 'timeout', `the VM did not finish; stderr: ${stderr}`);
    return lines;
  }

  test('bridge: a tap on the served bridge, console events, exit with stages', async (t) => {
    const marker = newMarker();
    ref.setCmdline(markerCmdline(marker));
    const lines = await runHarness({ firmware: 'bios', network: 'auto' });
    const started = lines.find((l) => l.type === 'started');
    assert.ok(started, `started: ${JSON.stringify(lines.find((l) => l.type === 'error'))}`);
    assert.equal(started.vm?.network, 'bridge');
    const consoleText = lines.map((l) => l.data ?? '').join('');
    assert.ok(consoleText.includes(markerLine(marker)), 'the marker came through lab.console events');
    const exit = lines.find((l) => l.state === 'exited');
    assert.ok(exit?.stages, 'an exit event with stages');
    t.diagnostic(`LabManager bridge stages: ${exit.stages.map((s) => `${s.stage}@${s.atMs}ms`).join(' ')}`);
    for (const s of ['firmware-dhcp', 'script', 'kernel'])
      assert.ok(
        exit.stages.some((x) => x.stage === s),
        s,
      );
  });

  test("user networking: QEMU DHCP hands over Bootlab's menu URL; the note says DHCP/TFTP are not exercised", async () => {
    const marker = newMarker();
    ref.setCmdline(markerCmdline(marker));
    const lines = await runHarness({ firmware: 'bios', network: 'user' });
    const started = lines.find((l) => l.type === 'started');
    assert.equal(started?.vm?.network, 'user');
    assert.match(started?.vm?.note ?? '', /DHCP and TFTP are not being exercised/);
    assert.ok(
      lines
        .map((l) => l.data ?? '')
        .join('')
        .includes(markerLine(marker)),
    );
  });

  test("OVMF's own PXE over user networking is refused with what to choose", async () => {
    const lines = await runHarness({ firmware: 'uefi', network: 'user' });
    const err = lines.find((l) => l.type === 'error');
    assert.match(err?.message ?? '', /OVMF's own PXE client needs the lab bridge/);
  });
});
