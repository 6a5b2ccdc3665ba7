import { useState } from 'react';
import type { ExternalConfig } from '../../../../services/api/contract.js';

/** "Use my existing DHCP server": the settings for each server, one tab each, ready to copy. */
export function ExternalConfigs({ configs, address }: { configs: ExternalConfig[]; address: string | null }) {
  const [current, setCurrent] = useState(0);
  const [copied, setCopied] = useState(false);
  const config = configs[current];
  if (!config) return null;
  const copy = async () => {
    await navigator.clipboard?.writeText(config.text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="card">
      <h2>Use my existing DHCP server</h2>
      <p className="muted">
        Where the site must keep its own DHCP server, set DHCP to “off” here and give that server these
        settings: firmware gets the iPXE first stage from Bootlab by TFTP, iPXE gets Bootlab’s boot script.
        {address === null &&
          ' Choose an interface in Settings first; BOOTLAB-ADDRESS stands for its address.'}
      </p>
      <div className="form-actions" role="tablist">
        {configs.map((c, i) => (
          <button
            key={c.server}
            type="button"
            role="tab"
            aria-selected={i === current}
            className={`button button-small ${i === current ? 'button-primary' : 'button-quiet'}`}
            onClick={() => setCurrent(i)}
          >
            {c.title}
          </button>
        ))}
      </div>
      <p className="small">Put it in: {config.where}</p>
      <pre className="code-block" data-server={config.server}>
        {config.text}
      </pre>
      <button type="button" className="button button-small" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
