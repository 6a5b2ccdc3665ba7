import type { ApiError } from '../../../../services/api/contract.js';

type FieldProblem = NonNullable<ApiError['error']['fields']>[number];

/**
 * Server errors onto the form's own fields. The server sends `fields` ([{field, message, hint}], see
 * FieldProblem in services/shared/errors.ts); each lands beside the input whose path matches (or its nearest
 * known parent: "dhcp.pool.start.x" → "dhcp.pool.start"). Older messages that only name fields in their text
 * ("…: dhcp.pool.start: Invalid ip; tftp.port: …") are picked apart as before.
 */
export function fieldErrorsOf(
  problem: { message: string; fields?: readonly FieldProblem[] } | undefined,
  knownFields: readonly string[],
): Record<string, string> {
  if (!problem) return {};
  if (!problem.fields || problem.fields.length === 0) return fieldErrorsFrom(problem.message, knownFields);
  const out: Record<string, string> = {};
  for (const f of problem.fields) {
    const target = nearestKnown(f.field, knownFields);
    if (!target) continue;
    const text = f.hint ? `${f.message} ${f.hint}` : f.message;
    out[target] = out[target] ? `${out[target]} ${text}` : text;
  }
  return out;
}

/** The field problems no input of this form shows (they go in the box beside the form). */
export function unplacedFields(
  problem: { fields?: readonly FieldProblem[] } | undefined,
  knownFields: readonly string[],
): FieldProblem[] {
  return (problem?.fields ?? []).filter((f) => !nearestKnown(f.field, knownFields));
}

function nearestKnown(field: string, knownFields: readonly string[]): string | undefined {
  const parts = field.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (knownFields.includes(candidate)) return candidate;
  }
  return undefined;
}

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
