import { z } from 'zod';
import { cleanText } from '../core/clean-text.js';

/**
 * The catalog's file format (assets/catalog/catalog.json, or the file at the catalog URL). Node-free.
 * Every downloadable item names where its publisher keeps the checksum file, and the signature and key
 * where the publisher signs: the checksum is fetched at download time, never stored here, so nothing in
 * the catalog is a checksum nobody could check.
 */

const httpUrl = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL');
const fileName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'a plain file name');

export const catalogItemSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  // Catalog text comes from the network: cleaned (controls, bidi overrides) and capped before anyone sees it.
  name: z
    .string()
    .max(2000)
    .transform((s) => cleanText(s, 120))
    .pipe(z.string().min(1, 'a name')),
  description: z
    .string()
    .max(5000)
    .transform((s) => cleanText(s, 500))
    .default(''),
  homepage: httpUrl,
  /** iso: lands in the ISO folder (boots through the library); binary/kernel: a file in the boot root. */
  kind: z.enum(['iso', 'binary', 'kernel', 'chain', 'user-files']),
  fileName: fileName.optional(),
  /** Shown before the download starts; the server's size is used once known. */
  size: z.number().int().positive().optional(),
  /** First is tried first; the rest are mirrors used when one fails. */
  urls: z.array(httpUrl).max(8).default([]),
  checksum: z
    .object({
      algorithm: z.enum(['sha256', 'sha512']),
      urls: z.array(httpUrl).min(1).max(8),
      /** The name to look for in the checksum file (default: fileName). */
      name: z.string().max(300).optional(),
    })
    .optional(),
  signature: z
    .object({
      urls: z.array(httpUrl).min(1).max(8),
      /** What the signature covers: the checksum file (Debian, Ubuntu) or the download itself. */
      covers: z.enum(['checksum', 'file']),
      /** Key file name in assets/catalog/keys/ or <data dir>/catalog-keys/ (binary or armored export). */
      keyFile: fileName,
      /** Fingerprint the publisher announces, shown to the technician. */
      fingerprint: z.string().max(80).optional(),
    })
    .optional(),
  /** binary items shipped in an archive (zip, tar.gz): the files to take out, by firmware (7-Zip unpacks). */
  unpack: z.object({ bios: z.string().max(200).optional(), efi: z.string().max(200).optional() }).optional(),
  /** chain items: the URL iPXE chains to. */
  chainUrl: httpUrl.optional(),
  notes: z
    .string()
    .max(10000)
    .transform((s) => cleanText(s, 1000))
    .optional(),
});
export type CatalogItem = z.infer<typeof catalogItemSchema>;

export const catalogSchema = z.object({
  format: z.literal(1),
  version: z.string().min(1).max(40),
  items: z.array(catalogItemSchema).max(500),
});
export type Catalog = z.infer<typeof catalogSchema>;

export function verificationText(item: CatalogItem): string {
  if (item.kind === 'chain') return 'Nothing downloaded by Bootlab: iPXE fetches it at boot.';
  if (item.kind === 'user-files') return 'Your own files: nothing to download.';
  if (!item.checksum) return 'No publisher checksum: not offered for download.';
  const alg = item.checksum.algorithm === 'sha256' ? 'SHA-256' : 'SHA-512';
  const sig = item.signature
    ? `, ${item.signature.covers === 'checksum' ? 'checksum file' : 'file'} signed by the publisher (gpgv)`
    : '';
  return `${alg} from the publisher's checksum file${sig}`;
}

export function isDownloadable(item: CatalogItem): boolean {
  return (
    (item.kind === 'iso' || item.kind === 'binary' || item.kind === 'kernel') &&
    item.urls.length > 0 &&
    Boolean(item.checksum) &&
    Boolean(item.fileName)
  );
}
