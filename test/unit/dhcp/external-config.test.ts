import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dnsmasqConfig,
  externalServerConfigs,
  iscDhcpdConfig,
  keaConfig,
  windowsDhcpConfig,
  type ExternalConfigInput,
} from '../../../services/dhcp/external-config.js';
import { DEFAULT_FIRST_STAGE } from '../../../services/dhcp/policy.js';

const input: ExternalConfigInput = {
  bootlabAddress: '10.77.0.1',
  httpBase: 'http://10.77.0.1:8080',
  firstStage: DEFAULT_FIRST_STAGE,
  syslog: true,
};

test('ISC dhcpd: option 93 declaration, next-server, iPXE first, then per-arch files', () => {
  const t = iscDhcpdConfig(input).text;
  assert.match(t, /^option arch code 93 = unsigned integer 16;/m);
  assert.match(t, /^next-server 10\.77\.0\.1;$/m);
  assert.match(
    t,
    /option user-class = "iPXE" \{\n {2}option ipxe\.no-pxedhcp 1;\n {2}filename "http:\/\/10\.77\.0\.1:8080\/boot\.ipxe";/,
  );
  assert.match(t, /option arch = 00:07 or option arch = 00:09 \{\n {2}filename "snponly\.efi";/);
  assert.match(t, /\} else \{\n {2}filename "undionly\.kpxe";\n\}/);
  assert.match(t, /option log-servers 10\.77\.0\.1;/);
  // Braces balance (a pasted block must parse).
  assert.equal((t.match(/\{/g) ?? []).length, (t.match(/\}/g) ?? []).length);
});

test('Kea: valid JSON, iPXE class first, arch tests exclude iPXE, option 175.176 defined', () => {
  const j = JSON.parse(keaConfig(input).text) as {
    Dhcp4: {
      'client-classes': { name: string; test: string; 'boot-file-name': string; 'next-server': string }[];
      'option-def': { code: number }[];
    };
  };
  const classes = j.Dhcp4['client-classes'];
  assert.equal(classes[0]!.name, 'bootlab-ipxe');
  assert.equal(classes[0]!['boot-file-name'], 'http://10.77.0.1:8080/boot.ipxe');
  const x64 = classes.find((c) => c.name === 'bootlab-uefi-x64')!;
  assert.equal(
    x64.test,
    "not member('bootlab-ipxe') and (option[93].hex == 0x0007 or option[93].hex == 0x0009)",
  );
  assert.equal(x64['boot-file-name'], 'snponly.efi');
  assert.equal(x64['next-server'], '10.77.0.1');
  assert.deepEqual(
    j.Dhcp4['option-def'].map((d) => d.code),
    [176, 175],
  );
});

test('Windows: user class iPXE policy first, vendor-class policies per arch, options 66/67', () => {
  const t = windowsDhcpConfig(input).text;
  assert.match(t, /Add-DhcpServerv4Class -Name 'iPXE' -Type User -Data 'iPXE'/);
  assert.match(
    t,
    /Add-DhcpServerv4Policy -Name 'Bootlab iPXE' -ProcessingOrder 1 -Condition OR -UserClass EQ,'iPXE'/,
  );
  assert.match(t, /-PolicyName 'Bootlab iPXE' -OptionId 67 -Value 'http:\/\/10\.77\.0\.1:8080\/boot\.ipxe'/);
  assert.match(t, /-PolicyName 'Bootlab BIOS' -OptionId 67 -Value 'undionly\.kpxe'/);
  assert.match(t, /-PolicyName 'Bootlab UEFI x64' -OptionId 66 -Value '10\.77\.0\.1'/);
});

test(
  'dnsmasq: the generated file passes dnsmasq --test',
  { skip: spawnSync('dnsmasq', ['--version']).error ? 'dnsmasq missing' : undefined },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootlab-ext-'));
    try {
      const file = join(dir, 'bootlab.conf');
      writeFileSync(file, dnsmasqConfig(input).text);
      const r = spawnSync('dnsmasq', ['--test', `--conf-file=${file}`], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr + r.stdout, /syntax check OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('without HTTP the script is fetched by TFTP and no HTTP-boot rules appear', () => {
  const all = externalServerConfigs({ ...input, httpBase: null, syslog: false });
  assert.deepEqual(
    all.map((c) => c.server),
    ['isc-dhcpd', 'kea', 'dnsmasq', 'windows'],
  );
  for (const c of all) {
    assert.ok(!c.text.includes('HTTPClient'), `${c.server} has no HTTP boot`);
    assert.ok(
      c.text.includes('boot.ipxe') && !c.text.includes('http://'),
      `${c.server} uses the TFTP script`,
    );
  }
});
