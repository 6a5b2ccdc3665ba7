/** Boot stage ids from services/lab/boot-timeline.ts in a technician's words (the table shows these). */
const WORDS: Record<string, string> = {
  'firmware-dhcp': 'firmware DHCP',
  'first-stage': 'iPXE loaded',
  'ipxe-dhcp': 'iPXE DHCP',
  script: 'menu',
  kernel: 'kernel + initrd',
  marker: 'booted',
  'local-disk': 'local disk',
  'no-bootable-device': 'No bootable device',
  'kernel-panic': 'kernel panic',
  'uefi-shell': 'UEFI shell (nothing booted)',
};

export function stageWords(stage: string): string {
  return WORDS[stage] ?? stage;
}
