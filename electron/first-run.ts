import type { MessageBoxOptions } from 'electron';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { findSbinTool } from './capability.js';
import { capabilityGrantBlocker, elevationPrompt, setcapGrant, type ElevationDecision } from './elevation.js';

/**
 * What to do when the profile's ports need rights this user lacks (elevation.ts decides that):
 * - Linux, a binary that can carry a file capability: offer to grant it once (setcap through pkexec, the
 *   exact command shown), so the services never run as root; if that is refused or fails, the usual offer.
 * - Otherwise: run the services host elevated (pkexec / macOS password / UAC), run without, or quit.
 * Returns how to launch the host.
 */
export type PrivilegeChoice = 'plain' | 'elevated' | 'quit';

export interface FirstRunDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
  /** Whether the host binary has cap_net_bind_service now (getcap), re-read after a grant. */
  hasBindCapability(binary: string): boolean;
  which(name: string): string | undefined;
  /** File exists (setcap lives in /usr/sbin, often not on a user's PATH). */
  exists(path: string): boolean;
}

const GRANT = 0;
const ELEVATE_AFTER_GRANT_OFFER = 1;
const WITHOUT_AFTER_GRANT_OFFER = 2;

export async function choosePrivileges(
  decision: ElevationDecision,
  hostBinary: string,
  deps: FirstRunDeps,
): Promise<PrivilegeChoice> {
  const setcap = deps.platform === 'linux' ? findSbinTool('setcap', deps) : undefined;
  const blocker =
    capabilityGrantBlocker(deps.platform, hostBinary, deps.env) ??
    (setcap === undefined
      ? 'setcap is not installed (Debian/Ubuntu: sudo apt install libcap2-bin)'
      : undefined);
  if (blocker === undefined && setcap !== undefined) {
    const grant = setcapGrant(hostBinary, setcap);
    const words = elevationPrompt(decision, deps.platform);
    const { response } = await deps.showMessageBox({
      type: 'question',
      title: 'Permission for boot ports',
      message: 'Let Bootlab use the boot ports without running as administrator?',
      detail:
        `${words.detail.split('\n\n')[0]}\n\nBootlab can give the program that runs its services the right ` +
        `to use ports below 1024, once. It will run exactly this command (your password is asked):\n\n` +
        `${grant.shown}\n\nAfter that Bootlab starts without asking. To take the right back later: ` +
        `sudo setcap -r ${grant.args[2]}`,
      buttons: ['Grant once', 'Run services as administrator this time', 'Continue without', 'Quit'],
      defaultId: GRANT,
      cancelId: 3,
      noLink: true,
    });
    if (response === ELEVATE_AFTER_GRANT_OFFER) return 'elevated';
    if (response === WITHOUT_AFTER_GRANT_OFFER) return 'plain';
    if (response !== GRANT) return 'quit';
    const result = await runToEnd(deps, grant.command, grant.args);
    if (result.code === 0 && deps.hasBindCapability(hostBinary)) return 'plain';
    const why =
      result.code === 126 || result.code === 127
        ? 'The password prompt was cancelled or refused.'
        : result.code === 0
          ? `setcap ran, but ${hostBinary} still lacks the right (is its file system mounted nosuid, or is it on a network share?).`
          : `setcap failed (${result.code === null ? 'it could not be started' : `exit code ${result.code}`})${result.output ? `: ${result.output}` : ''}.`;
    const retry = await deps.showMessageBox({
      type: 'warning',
      title: 'Permission not granted',
      message: 'Bootlab could not grant the right to use the boot ports.',
      detail: `${why}\n\nYou can run the services as administrator this time, or start without them on these ports (they will show an error with what to do).`,
      buttons: ['Run services as administrator this time', 'Continue without', 'Quit'],
      defaultId: 0,
      cancelId: 2,
      noLink: true,
    });
    return retry.response === 0 ? 'elevated' : retry.response === 1 ? 'plain' : 'quit';
  }
  const words = elevationPrompt(decision, deps.platform);
  const { response } = await deps.showMessageBox({
    type: 'warning',
    title: 'Administrator rights',
    message: words.message,
    detail: deps.platform === 'linux' ? `${words.detail}\n\n(${blocker}.)` : words.detail,
    buttons: ['Continue with administrator rights', 'Continue without', 'Quit'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  });
  return response === 0 ? 'elevated' : response === 1 ? 'plain' : 'quit';
}

/** Runs a helper to its end; null code when it could not start. Output capped for the dialog. */
function runToEnd(
  deps: Pick<FirstRunDeps, 'spawn'>,
  command: string,
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    let child: ChildProcess;
    try {
      child = deps.spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (err) {
      resolve({ code: null, output: (err as Error).message });
      return;
    }
    const keep = (chunk: Buffer | string) => (output = (output + String(chunk)).slice(-500));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (err) => resolve({ code: null, output: err.message }));
    child.on('exit', (code) => resolve({ code, output: output.trim() }));
  });
}
