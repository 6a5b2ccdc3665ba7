/**
 * The ISO folder through a real `bootlab serve` and its API: a half-copied ISO is listed as growing and
 * kept out of the menu until its size stops changing; once complete it gets its own submenu in the served
 * menu (preview) without any menu edit; the boot method can be overridden (saved in the profile); a local
 * ISO is imported offline; a file that is not an ISO is listed as failed with the reason; a removed ISO
 * leaves the menu.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { libraryIdFor } from '../../../services/library/iso-library.js';
import type { LibraryOverview } from '../../../services/library/views.js';
import { buildIso, xorrisoMissing } from './iso-builder.js';
import { Origin, sha256 } from './origin.js';

const IPXE_ISO = '/usr/lib/ipxe/ipxe.iso';
const skip =
  xorrisoMissing() ??
  (spawnSync('7z', ['i']).status === 0 ? undefined : '7-Zip is not installed (Debian package p7zip-full)') ??
  (existsSync(IPXE_ISO) ? false : 'ipxe.iso is missing (Debian package ipxe)');

describe('the ISO folder through the API', { skip }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-libapi-'));
  const isos = join(dataDir, 'boot', 'isos');
  let app: RunningBootlab;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(app.base + path, {
      method,
      headers: { 'x-bootlab-token': app.token, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const library = () => call<LibraryOverview>('GET', '/api/library');
  const script = async () =>
    (await call<{ script: string }>('GET', '/api/menu/preview?platform=pcbios')).script;
  const until = async (
    what: string,
    f: (l: LibraryOverview) => boolean,
    ms = 30_000,
  ): Promise<LibraryOverview> => {
    const end = Date.now() + ms;
    for (;;) {
      const l = await library();
      if (f(l)) return l;
      if (Date.now() > end) throw new Error(`${what}: ${JSON.stringify(l.isos)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  before(async () => {
    app = await startBootlab(['serve', '--data-dir', dataDir, '--ui-port', '0', '--no-start']);
  });
  after(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a growing ISO is not offered until complete, then appears in its own submenu', async () => {
    mkdirSync(isos, { recursive: true });
    const data = readFileSync(IPXE_ISO);
    const half = Math.floor(data.length / 2);
    writeFileSync(join(isos, 'ipxe.iso'), data.subarray(0, half));
    const growing = await until('listed', (l) => l.isos.length === 1);
    assert.equal(growing.isos[0]!.state, 'growing');
    assert.match(growing.isos[0]!.message ?? '', /stops growing/);
    // Keep it growing for a few seconds: still not offered.
    for (let i = 1; i <= 4; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      appendFileSync(
        join(isos, 'ipxe.iso'),
        data.subarray(half + ((i - 1) * (data.length - half)) / 4, half + (i * (data.length - half)) / 4),
      );
      assert.notEqual((await library()).isos[0]!.state, 'ready');
      assert.doesNotMatch(await script(), /ISO library/);
    }
    const ready = await until('ready', (l) => l.isos[0]?.state === 'ready');
    const iso = ready.isos[0]!;
    assert.equal(iso.sha256, (await import('node:crypto')).createHash('sha256').update(data).digest('hex'));
    assert.equal(iso.method, 'sanboot');
    const s = await script();
    const id = `lib-${libraryIdFor('ipxe.iso')}`;
    assert.match(s, /item --gap -- ISO library/);
    assert.match(s, new RegExp(`item ${id}-menu ISOIMAGE \\(ipxe\\.iso\\)`));
    assert.match(s, new RegExp(`:e-${id}-s[\\s\\S]*sanboot --no-describe \\$\\{base\\}/isos/ipxe\\.iso`));
    const stored = await call<{ profile: { menu: { menus: unknown[] } } }>('GET', '/api/config');
    assert.equal(stored.profile.menu.menus.length, 1, 'the stored menu was not edited');
  });

  test('the boot method can be overridden, and the choice is saved', async () => {
    await call('PUT', '/api/library/method', { file: 'ipxe.iso', method: 'memdisk' });
    const l = await library();
    assert.equal(l.isos[0]!.method, 'memdisk');
    assert.equal(l.isos[0]!.overridden, true);
    const id = `lib-${libraryIdFor('ipxe.iso')}`;
    // The BIOS-only method comes first and is the default where it can run (UEFI falls back to sanboot).
    const text = await script();
    assert.ok(
      new RegExp(
        `:m-${id}\\n[^\\n]*\\nmenu [^\\n]*\\n(?:[^\\n]*\\n){2}iseq \\$\\{bl-ok\\} 1 && item ${id}-m `,
      ).test(text),
      'memdisk is listed first',
    );
    assert.ok(text.includes(`iseq \${bl-ok} 1 && set bl-def ${id}-m ||`), 'and is the default on BIOS');
    const cfg = await call<{ profile: { library: { overrides: Record<string, string> } } }>(
      'GET',
      '/api/config',
    );
    assert.deepEqual(cfg.profile.library.overrides, { 'ipxe.iso': 'memdisk' });
    await assert.rejects(
      call('PUT', '/api/library/method', { file: 'ipxe.iso', method: 'wimboot' }),
      /wimboot cannot boot ipxe\.iso/,
    );
    await call('PUT', '/api/library/method', { file: 'ipxe.iso', method: null });
    assert.equal((await library()).isos[0]!.method, 'sanboot');
  });

  test('offline import of a local ISO; a broken file is listed with its reason; removal leaves the menu', async () => {
    const src = join(dataDir, 'elsewhere');
    mkdirSync(src);
    buildIso(join(src, 'Debian Mini.iso'), { volumeId: 'DEBMINI', files: { linux: 'k', 'initrd.gz': 'i' } });
    const { bootPath } = await call<{ bootPath: string }>('POST', '/api/library/import', {
      path: join(src, 'Debian Mini.iso'),
    });
    assert.equal(bootPath, 'isos/Debian_Mini.iso');
    writeFileSync(join(isos, 'broken.iso'), Buffer.alloc(40_000, 7));
    const l = await until(
      'inspected',
      (x) => x.isos.length === 3 && x.isos.every((i) => i.state === 'ready' || i.state === 'failed'),
    );
    const mini = l.isos.find((i) => i.file === 'Debian_Mini.iso')!;
    assert.equal(mini.inspection?.family, 'debian-installer');
    assert.equal(mini.method, 'extracted');
    const broken = l.isos.find((i) => i.file === 'broken.iso')!;
    assert.equal(broken.state, 'failed');
    assert.match(broken.message ?? '', /not an ISO 9660 image.*Copy the ISO again or remove it/);
    const s = await script();
    assert.match(s, /DEBMINI \(Debian_Mini\.iso\)/);
    assert.match(s, /kernel \$\{base\}\/bootlab-library\/[0-9a-f]{32}\/extracted\/linux initrd=initrd\.gz/);
    assert.doesNotMatch(s, /broken\.iso/);
    rmSync(join(isos, 'Debian_Mini.iso'));
    await until('removed', (x) => !x.isos.some((i) => i.file === 'Debian_Mini.iso'));
    assert.doesNotMatch(await script(), /DEBMINI/);
  });

  test('a zipped tool from the catalog is verified, unpacked and added to the menu in one click; so is a chain entry', async () => {
    const origin = await Origin.start();
    try {
      const work = join(dataDir, 'zip-src');
      mkdirSync(work);
      writeFileSync(join(work, 'memtest64.bin'), Buffer.alloc(4096, 3));
      writeFileSync(join(work, 'memtest64.efi'), Buffer.alloc(4096, 4));
      const zip = spawnSync('7z', [
        'a',
        '-tzip',
        join(work, 'mt.zip'),
        join(work, 'memtest64.bin'),
        join(work, 'memtest64.efi'),
      ]);
      assert.equal(zip.status, 0, String(zip.stderr));
      const body = readFileSync(join(work, 'mt.zip'));
      origin.set('/mt/mt.zip', body);
      origin.set('/mt/sha256sum.txt', `${sha256(body)}  mt.zip\n`);
      origin.set(
        '/catalog.json',
        JSON.stringify({
          format: 1,
          version: 'api-test',
          items: [
            {
              id: 'mt',
              name: 'Memory tester',
              homepage: 'https://example.invalid/',
              kind: 'binary',
              fileName: 'mt.zip',
              urls: [origin.url('/mt/mt.zip')],
              checksum: { algorithm: 'sha256', urls: [origin.url('/mt/sha256sum.txt')] },
              unpack: { bios: 'memtest64.bin', efi: 'memtest64.efi' },
            },
            {
              id: 'nbxyz',
              name: 'netboot.xyz',
              homepage: 'https://netboot.xyz/',
              kind: 'chain',
              chainUrl: 'https://boot.netboot.xyz/',
            },
          ],
        }),
      );
      await call('PUT', '/api/config', { library: { catalogUrl: origin.url('/catalog.json') } });
      assert.deepEqual(await call('POST', '/api/library/catalog/update'), {
        updated: true,
        version: 'api-test',
      });
      await call('POST', '/api/library/downloads', { catalogId: 'mt' });
      const l = await until('downloaded', (x) =>
        x.downloads.some((d) => d.catalogId === 'mt' && (d.state === 'done' || d.state === 'failed')),
      );
      const d = l.downloads.find((x) => x.catalogId === 'mt')!;
      assert.equal(d.state, 'done', d.error);
      assert.equal(d.bootPath, 'downloads/mt.zip');
      assert.ok(
        existsSync(join(dataDir, 'boot', 'downloads', 'mt', 'memtest64.bin')),
        'unpacked beside the archive',
      );
      assert.deepEqual(await call('POST', '/api/library/add-to-menu', { catalogId: 'mt' }), {
        entryId: 'cat-mt',
      });
      assert.deepEqual(await call('POST', '/api/library/add-to-menu', { catalogId: 'nbxyz' }), {
        entryId: 'cat-nbxyz',
      });
      const s = await script();
      assert.match(s, /kernel \$\{base\}\/downloads\/mt\/memtest64\.bin/);
      assert.match(s, /chain \$\{base\}\/downloads\/mt\/memtest64\.efi/);
      assert.match(s, /chain https:\/\/boot\.netboot\.xyz\//);
      const v = await call<{ issues: { message: string }[] }>(
        'POST',
        '/api/menu/validate',
        (await call<{ profile: { menu: unknown } }>('GET', '/api/config')).profile.menu,
      );
      assert.ok(!v.issues.some((i) => /downloads\/mt/.test(i.message)), JSON.stringify(v.issues));
    } finally {
      await origin.stop();
    }
  });
});
