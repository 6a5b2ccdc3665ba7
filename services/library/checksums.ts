import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Verification of a downloaded file against its publisher's checksum file, and of that file (or the
 * download itself) against the publisher's detached OpenPGP signature with `gpgv` (Debian package gpgv)
 * and the publisher's key file. Checksum files come in the GNU coreutils form (`<hex>  [*]<name>`, as
 * sha256sum writes them) and the BSD form (`SHA256 (<name>) = <hex>`); publishers that list several
 * algorithms in one file (Clonezilla's CHECKSUMS.TXT) work too, as the hex length picks the algorithm.
 */

export type HashAlgorithm = 'sha256' | 'sha512';
const HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, sha512: 128 };

/** The expected hash of `fileName` in a checksum file, or undefined. Pure. */
export function findChecksum(text: string, fileName: string, algorithm: HashAlgorithm): string | undefined {
  const n = HEX_LENGTH[algorithm];
  const base = fileName.split('/').pop()!;
  const lines = text.split(/\r?\n/).slice(0, 100_000);
  const candidates: { hex: string; name: string }[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    let m = /^([0-9a-fA-F]+)\s+\*?(.+)$/.exec(line);
    if (m) candidates.push({ hex: m[1]!, name: m[2]!.trim() });
    m = /^([A-Z0-9-]+)\s*\((.+)\)\s*=\s*([0-9a-fA-F]+)$/.exec(line);
    if (m) candidates.push({ hex: m[3]!, name: m[2]! });
    m = /^([0-9a-fA-F]+)$/.exec(line);
    if (m) candidates.push({ hex: m[1]!, name: '' });
  }
  const sized = candidates.filter((c) => c.hex.length === n);
  const want = fileName.replace(/^\.\//, '');
  const exact = sized.find((c) => c.name.replace(/^\.\//, '') === want);
  if (exact) return exact.hex.toLowerCase();
  const named = sized.find((c) => c.name.replace(/^\.\//, '').split('/').pop() === base);
  if (named) return named.hex.toLowerCase();
  // A checksum file for one file often has just the hash (or only one line).
  if (sized.length === 1 && (sized[0]!.name === '' || candidates.length === 1))
    return sized[0]!.hex.toLowerCase();
  return undefined;
}

export async function hashFile(path: string, algorithm: HashAlgorithm): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * The binary packets of an ASCII-armored OpenPGP block (RFC 4880 §6.2: armor header line, optional
 * headers, a blank line, base64 lines, "=" CRC line, armor tail), or undefined when the input is not armored.
 */
export function dearmor(input: Buffer): Buffer | undefined {
  const text = input.subarray(0, 64).toString('latin1');
  if (!text.startsWith('-----BEGIN PGP ')) return undefined;
  const lines = input.toString('latin1').split(/\r?\n/);
  const out: Buffer[] = [];
  let i = 1;
  while (i < lines.length && lines[i]!.trim() !== '') i++; // armor headers
  for (i++; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.startsWith('-----END') || line.startsWith('=')) break;
    if (line) out.push(Buffer.from(line, 'base64'));
  }
  return Buffer.concat(out);
}

export interface SignatureResult {
  ok: boolean;
  /** Fingerprint of the key that made a good signature. */
  fingerprint?: string;
  /** What gpgv said, for the message when not ok. */
  detail: string;
}

/**
 * `gpgv --status-fd 1 --keyring <keyFile> <sig> <data>`. Good only when gpgv exits 0 and reports VALIDSIG
 * (a good signature by a key in that key file). GNUPGHOME is a fresh temp folder, so no user keyring or
 * trust database is consulted.
 */
export async function verifySignature(
  keyFile: string,
  sigFile: string,
  dataFile: string,
): Promise<SignatureResult> {
  const home = await mkdtemp(join(tmpdir(), 'bootlab-gpgv-'));
  try {
    // gpgv reads only binary keyrings; publishers usually hand out armored (.asc) keys.
    const keyBytes = await readFile(keyFile);
    const binary = dearmor(keyBytes);
    if (binary) {
      keyFile = join(home, 'publisher.gpg');
      await writeFile(keyFile, binary);
    }
    return await new Promise<SignatureResult>((resolve) => {
      const child = spawn('gpgv', ['--status-fd', '1', '--keyring', keyFile, '--', sigFile, dataFile], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GNUPGHOME: home, LC_ALL: 'C' },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out = (out + d.toString('utf8')).slice(-20_000)));
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
      child.once('error', (e: NodeJS.ErrnoException) =>
        resolve({
          ok: false,
          detail: e.code === 'ENOENT' ? 'gpgv is not installed (Debian package gpgv)' : e.message,
        }),
      );
      child.once('close', (code) => {
        const valid = /^\[GNUPG:\] VALIDSIG ([0-9A-F]+)/m.exec(out);
        if (code === 0 && valid) resolve({ ok: true, fingerprint: valid[1]!, detail: 'good signature' });
        else {
          const why = /^\[GNUPG:\] (BADSIG|ERRSIG|NO_PUBKEY|EXPKEYSIG|REVKEYSIG|NODATA)\b.*$/m.exec(out)?.[1];
          resolve({
            ok: false,
            detail:
              why === 'BADSIG'
                ? 'the signature does not match (the file was changed after it was signed)'
                : why === 'NO_PUBKEY' || why === 'ERRSIG'
                  ? 'the signature was not made by the publisher key Bootlab has'
                  : why === 'NODATA'
                    ? 'the signature file holds no signature'
                    : `gpgv refused it (${err.trim().split('\n').pop() ?? `exit ${code}`})`,
          });
        }
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
