/**
 * Menu issue fields ("initrds[0]", "credentials.username", "firmware") in the entry form's own words, so
 * the entry list says "Initrd 1: …" instead of a schema path.
 */
const WORDS: Record<string, string> = {
  label: 'Label',
  key: 'Shortcut key',
  firmware: 'Firmware',
  arch: 'Architecture',
  password: 'Password',
  credentials: 'Download login',
  username: 'user name',
  kernel: 'Kernel',
  initrds: 'Initrd',
  cmdline: 'Kernel command line',
  iso: 'ISO file',
  method: 'Boot method',
  efi: 'EFI program',
  bios: 'BIOS program',
  args: 'Arguments',
  url: 'Address',
  menu: 'Submenu',
  extraFiles: 'Extra file',
  id: 'Id',
  title: 'Title',
  timeout: 'Timeout',
  default: 'Default entry',
};

export function fieldWords(field: string): string {
  const parts = field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && /^\d+$/.test(next)) {
      out.push(`${WORDS[p] ?? p} ${Number(next) + 1}`);
      i++;
    } else if (!/^\d+$/.test(p)) out.push(WORDS[p] ?? p);
  }
  return out.join(', ');
}
