/**
 * Errors a person meets. Every BootlabError says what happened (`message`) and what to do next (`hint`),
 * in words a technician understands; `code` is stable for programs and tests.
 */
export type ErrorCode =
  | 'PORT_NEEDS_PRIVILEGE'
  | 'PORT_IN_USE'
  | 'ADDRESS_NOT_AVAILABLE'
  | 'INTERFACE_NOT_FOUND'
  | 'INTERFACE_NO_IPV4'
  | 'INTERFACE_DOWN'
  | 'CONFIG_INVALID'
  | 'CONFIG_UNREADABLE'
  | 'DHCP_SERVER_PRESENT'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'LAB_TOOL_MISSING'
  | 'INTERNAL';

/**
 * One invalid field, for the UI to show beside that field: `field` is the dotted path in the profile or
 * request body ("dhcp.reservations.0.ip"), `message` a sentence without the path, `hint` what to do.
 */
export interface FieldProblem {
  field: string;
  message: string;
  hint?: string;
}

export class BootlabError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: Record<string, unknown>;
  /** Every invalid field at once (settings and request bodies), so the UI can mark each. */
  readonly fields: FieldProblem[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    hint: string,
    details: Record<string, unknown> = {},
    fields?: FieldProblem[],
  ) {
    super(message);
    this.name = 'BootlabError';
    this.code = code;
    this.hint = hint;
    this.details = details;
    this.fields = fields && fields.length > 0 ? fields : undefined;
  }

  /** One line for logs and the CLI: what happened, then what to do. */
  toLine(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }

  toJSON(): {
    code: ErrorCode;
    message: string;
    hint: string;
    details: Record<string, unknown>;
    fields?: FieldProblem[];
  } {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      details: this.details,
      ...(this.fields ? { fields: this.fields } : {}),
    };
  }
}

/** Turns anything thrown into a BootlabError, keeping the original text when it is not ours. */
export function asBootlabError(err: unknown): BootlabError {
  if (err instanceof BootlabError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BootlabError(
    'INTERNAL',
    `Unexpected error: ${message}.`,
    'This is a bug in Bootlab; the log has details.',
  );
}

/** A system error from Node (ENOENT, EADDRINUSE, …), described here without Node's types (Node-free file). */
export interface ErrnoError extends Error {
  code: string;
  errno?: number;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
}

export function isErrnoException(err: unknown): err is ErrnoError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}
