import type { ServiceName } from '../../../../services/api/contract.js';

/** What each boot service is for, in a technician's words. */
export const SERVICE_INFO: Record<ServiceName, { title: string; role: string }> = {
  dhcp: {
    title: 'DHCP',
    role: 'Tells network-booting machines where to find their boot file (ports 67 and 4011).',
  },
  tftp: {
    title: 'TFTP',
    role: 'Sends the first-stage loader (iPXE) to the machine’s firmware (port 69).',
  },
  http: {
    title: 'HTTP',
    role: 'Serves boot menus, kernels, initrds and ISO images to iPXE.',
  },
  syslog: {
    title: 'Syslog',
    role: 'Receives the log lines iPXE sends, so you can follow each machine’s boot (port 514).',
  },
};

export const SERVICE_ORDER: readonly ServiceName[] = ['dhcp', 'tftp', 'http', 'syslog'];
