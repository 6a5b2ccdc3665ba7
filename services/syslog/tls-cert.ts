/**
 * The certificate syslog TLS presents (RFC 5425). Given paths are read as they are; otherwise Bootlab makes
 * a self-signed one (CA:true, so iPXE can take it as its root through TRUST=, docs/ipxe-notes.md §4) with the boot
 * address as subject and IP SAN, and keeps it in <data dir>/syslog-tls/ so clients built once keep working.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';

export interface SyslogCert {
  cert: string;
  key: string;
  certPath: string;
}

export async function loadOrCreateSyslogCert(
  dataDir: string,
  address: string,
  cfg: { certPath: string | null; keyPath: string | null },
): Promise<SyslogCert> {
  if (cfg.certPath && cfg.keyPath)
    return {
      cert: readFileSync(cfg.certPath, 'utf8'),
      key: readFileSync(cfg.keyPath, 'utf8'),
      certPath: cfg.certPath,
    };
  const dir = join(dataDir, 'syslog-tls');
  const certPath = join(dir, `bootlab-syslog-${address}.pem`);
  const keyPath = join(dir, `bootlab-syslog-${address}.key`);
  if (existsSync(certPath) && existsSync(keyPath))
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath };
  const notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  // Loaded only when a certificate is made: selfsigned pulls in a crypto library that would otherwise
  // sit in every host's memory (~7 MiB RSS), though most runs never make a certificate (issue 18).
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: address }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: address }] },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(keyPath, pems.private);
  chmodSync(keyPath, 0o600);
  await writeFileAtomic(certPath, pems.cert);
  return { cert: pems.cert, key: pems.private, certPath };
}
