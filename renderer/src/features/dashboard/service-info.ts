import type { Profile, ServiceName } from '../../../../services/api/contract.js';

/** What each boot service is for, in a technician's words; `ports` are the ones configured in Settings. */
export const SERVICE_INFO: Record<
  ServiceName,
  { title: string; role: string; ports: (profile: Profile) => string }
> = {
  dhcp: {
    title: 'DHCP',
    role: 'Tells network-booting machines where to find their boot file',
    ports: (p) => `ports ${p.dhcp.port} and ${p.dhcp.proxyPort}`,
  },
  tftp: {
    title: 'TFTP',
    role: 'Sends the first-stage loader (iPXE) to the machine’s firmware',
    ports: (p) => `port ${p.tftp.port}`,
  },
  http: {
    title: 'HTTP',
    role: 'Serves boot menus, kernels, initrds and ISO images to iPXE',
    ports: (p) => (p.http.port === 0 ? 'any free port' : `port ${p.http.port}`),
  },
  syslog: {
    title: 'Syslog',
    role: 'Receives the log lines iPXE sends, so you can follow each machine’s boot',
    ports: (p) => `port ${p.syslog.port}`,
  },
};

/** "Tells … boot file (ports 67 and 4011)." with the configured ports (0 means "any free port"). */
export function serviceRole(service: ServiceName, profile: Profile | undefined): string {
  const info = SERVICE_INFO[service];
  const ports = profile ? info.ports(profile).replace(/\bport 0\b/, 'any free port') : undefined;
  return ports ? `${info.role} (${ports}).` : `${info.role}.`;
}

export const SERVICE_ORDER: readonly ServiceName[] = ['dhcp', 'tftp', 'http', 'syslog'];
