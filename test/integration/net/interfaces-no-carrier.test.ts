/**
 * A port with an address but no carrier (cable not plugged in yet, a bridge with no port up) still shows its
 * address: os.networkInterfaces() leaves such interfaces out (libuv lists only UP and RUNNING ones).
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { Netns, netnsUnavailableReason } from '../../helpers/netns.js';

const skip = netnsUnavailableReason();
const module = fileURLToPath(new URL('../../../services/net/interfaces.ts', import.meta.url));
let ns: Netns | undefined;

after(() => ns?.destroy());

test('an interface without carrier keeps its IPv4 address in the list', { skip }, () => {
  ns = Netns.create('blif');
  ns.run('ip', ['link', 'add', 'br9', 'type', 'bridge']);
  ns.run('ip', ['addr', 'add', '10.66.0.1/24', 'dev', 'br9']);
  ns.run('ip', ['link', 'set', 'br9', 'up']); // up, but no port: no carrier, not RUNNING
  const out = ns.run(process.execPath, [
    '--import',
    'tsx',
    '-e',
    `import(${JSON.stringify(module)}).then((m) => console.log(JSON.stringify(m.listInterfaces())))`,
  ]);
  const br = (JSON.parse(out) as { name: string; ipv4: { cidr: string; netmask: string }[] }[]).find(
    (i) => i.name === 'br9',
  );
  assert.ok(br, `br9 listed: ${out}`);
  assert.deepEqual(br.ipv4, [{ address: '10.66.0.1', netmask: '255.255.255.0', cidr: '10.66.0.1/24' }]);
});
