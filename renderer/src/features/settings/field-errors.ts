/**
 * The server names invalid fields in its message ("These settings are not valid: dhcp.pool.start: Invalid
 * ip; tftp.port: Number must be ..."). Pick those out so each can be shown beside its own field.
 */
export function fieldErrorsFrom(message: string, knownFields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  // Longest first, so "dhcp.pool.start" wins over "dhcp.pool".
  const fields = [...knownFields].sort((a, b) => b.length - a.length);
  for (const part of message.split(/;\s*/)) {
    for (const field of fields) {
      const at = part.indexOf(`${field}: `);
      if (at === -1) continue;
      const text = part.slice(at + field.length + 2).replace(/\.$/, '');
      out[field] ??= friendly(text);
      break;
    }
  }
  return out;
}

function friendly(text: string): string {
  if (/^invalid ip/i.test(text)) return 'This is not an IPv4 address (like 192.168.1.10).';
  if (/expected number/i.test(text)) return 'This must be a number.';
  const max = /less than or equal to (\d+)/i.exec(text);
  if (max) return `This must be at most ${max[1]}.`;
  const min = /greater than or equal to (\d+)/i.exec(text);
  if (min) return `This must be at least ${min[1]}.`;
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith('.') ? '' : '.');
}
