/** Credential lines for HTTP-protected downloads (docs/ipxe-notes.md "Credentials"). Pure string building. */
/**
 * Lines that give iPXE the credentials for one protected entry (HTTP auth, config `http.auth`). iPXE keeps
 * them in its `username`/`password` settings; the download URL must carry them (see urlWithCredentials),
 * as in ipxe.org/cmd/login. `prompt` asks the person at the machine instead (`login`), so the password is
 * not in the script, which anyone on the boot network can fetch. Values are checked by the config schema
 * (no whitespace or iPXE syntax characters).
 */
export function credentialLines(creds: { username: string; password: string } | 'prompt'): string[] {
  if (creds === 'prompt') return ['login || goto bootlab_menu'];
  return [`set username ${creds.username}`, `set password ${creds.password}`];
}

/** Forgets the credentials again (after the protected downloads), so later entries do not send them. */
export function clearCredentialLines(): string[] {
  return ['clear username', 'clear password'];
}

/** http://host/path → http://${username:uristring}:${password:uristring}@host/path (iPXE expands them). */
export function urlWithCredentials(url: string): string {
  return url.replace(/^(https?:\/\/)/, '$1${username:uristring}:${password:uristring}@');
}
