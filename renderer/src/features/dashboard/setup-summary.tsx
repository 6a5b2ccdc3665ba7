import type { Profile, StatusResponse } from '../../../../services/api/contract.js';

const DHCP_MODE_WORDS: Record<Profile['dhcp']['mode'], string> = {
  auto: 'automatic (proxy beside another DHCP server, otherwise full)',
  off: 'Off (another server points clients here)',
  proxy: 'proxy (only boot information)',
  full: 'full (hands out addresses)',
};

/** The setup the services run with, and a nudge to Settings when something essential is missing. */
export function SetupSummary({ status, profile }: { status: StatusResponse; profile: Profile }) {
  const iface = status.interfaces.find((i) => i.name === profile.interface);
  const address = iface?.ipv4[0]?.address ?? status.runtime.serverAddress;
  // The HTTP service's own state decides: a stopped server's last address is not where scripts are now.
  const http = status.services.find((s) => s.service === 'http');
  const scriptsAt =
    http?.state === 'running' && status.runtime.httpBase
      ? status.runtime.httpBase
      : http?.state === 'starting'
        ? 'HTTP is starting…'
        : 'HTTP is not running';
  return (
    <div className="card setup-summary">
      {!profile.interface && (
        <div className="notice" id="no-interface-note" role="status">
          No network interface is chosen yet, so the boot services cannot start.{' '}
          <a href="#/settings">Choose one in Settings</a>, then press Start all.
        </div>
      )}
      <dl className="facts facts-row">
        <dt>Interface</dt>
        <dd className="mono">
          {profile.interface ? `${profile.interface}${address ? ` (${address})` : ''}` : '—'}
        </dd>
        <dt>DHCP</dt>
        <dd>{DHCP_MODE_WORDS[profile.dhcp.mode]}</dd>
        <dt>Boot files</dt>
        <dd className="mono">{profile.bootRoot ?? `${status.dataDir}/boot`}</dd>
        <dt>Boot scripts at</dt>
        <dd className="mono" data-fact="scripts-at">
          {scriptsAt}
        </dd>
      </dl>
    </div>
  );
}
