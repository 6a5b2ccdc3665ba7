/**
 * Whether a binary carries cap_net_bind_service (capabilities(7)), read with getcap(8) from libcap2-bin.
 * getcap and setcap live in /usr/sbin (Debian: /sbin), which is often not on a desktop user's PATH, so
 * both are also looked for there. The process runner is injected: main.ts passes spawnSync.
 */
export interface CapabilityDeps {
  which(name: string): string | undefined;
  exists(path: string): boolean;
  run(command: string, args: string[]): { status: number | null; stdout: string };
}

export function findSbinTool(name: 'getcap' | 'setcap', deps: Pick<CapabilityDeps, 'which' | 'exists'>) {
  return deps.which(name) ?? [`/usr/sbin/${name}`, `/sbin/${name}`].find((p) => deps.exists(p));
}

/** False when the binary lacks it, or when getcap is missing (then nobody can tell; the prompt offers). */
export function hasBindCapability(binary: string | undefined, deps: CapabilityDeps): boolean {
  if (!binary) return false;
  const getcap = findSbinTool('getcap', deps);
  if (!getcap) return false;
  const out = deps.run(getcap, [binary]);
  return out.status === 0 && /cap_net_bind_service[^\n]*[=+][a-z]*e/.test(out.stdout);
}
