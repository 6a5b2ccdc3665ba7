import { resolve } from 'node:path';
import { dhcpSettingProblems } from '../dhcp/config-check.js';
import { BOOT_FOLDER_HINT, bootFolderProblem } from '../core/boot-folder.js';
import type { Profile } from '../profile.js';
import type { FieldProblem } from '../shared/errors.js';
import type { NetInterface } from '../shared/events.js';

/**
 * Settings checked against the live machine when they are saved (PUT /api/config): the boot folder exists
 * and is readable; the DHCP pool and reservations fit the chosen interface's network (only when Bootlab
 * may hand out addresses: full or auto mode). Every problem at once, as FieldProblems keyed by profile path.
 */
export function settingsProblems(profile: Profile, machine: { interfaces: NetInterface[] }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (profile.bootRoot !== null) {
    const problem = bootFolderProblem(resolve(profile.bootRoot));
    if (problem) problems.push({ field: 'bootRoot', message: problem, hint: BOOT_FOLDER_HINT });
  }
  const handsOutAddresses = profile.dhcp.mode === 'full' || profile.dhcp.mode === 'auto';
  const iface = handsOutAddresses ? machine.interfaces.find((i) => i.name === profile.interface) : undefined;
  problems.push(...dhcpSettingProblems(profile.dhcp, iface));
  return problems;
}
