import type { ConfigStore } from '../../core/config-store.js';
import type { Runtime } from '../../core/runtime.js';
import type { Supervisor } from '../../core/supervisor.js';
import { externalServerConfigs } from '../../dhcp/external-config.js';
import { firstStageReport } from '../../dhcp/first-stage.js';
import { firstStageNames } from '../../dhcp/service.js';
import { resolveInterface } from '../../net/interfaces.js';
import type { ApiRouter } from '../router.js';

export interface DhcpRouteDeps {
  store: ConfigStore;
  supervisor: Supervisor;
  runtime: Runtime;
  bootRoot: () => string;
}

/**
 * The DHCP page's data. The first-stage report and the settings for an existing DHCP server come from the
 * profile, so they are there even while Bootlab's own DHCP is off (exactly when a site needs them).
 */
export function registerDhcpRoutes(router: ApiRouter, deps: DhcpRouteDeps): void {
  router.add('GET /api/dhcp', () => {
    const profile = deps.store.profile;
    const dhcp = deps.supervisor.report('dhcp');
    let bootlabAddress: string | null = null;
    try {
      bootlabAddress = resolveInterface(profile.interface).address;
    } catch {
      bootlabAddress = null; // no usable interface yet: the page says so
    }
    const names = firstStageNames(profile.dhcp);
    return {
      status: dhcp?.status ?? null,
      leases: dhcp?.leases ?? [],
      firstStage: firstStageReport({
        bootRoot: deps.bootRoot(),
        names,
        overrides: new Map(profile.dhcp.overrides.map((o) => [o.mac, o.bootFile])),
      }),
      external: externalServerConfigs({
        bootlabAddress: bootlabAddress ?? 'BOOTLAB-ADDRESS',
        httpBase: deps.runtime.httpBase(),
        firstStage: names,
        syslog: deps.runtime.syslogPort !== null,
      }),
      bootlabAddress,
    };
  });
}
