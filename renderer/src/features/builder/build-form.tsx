import { useEffect, useState } from 'react';
import type { BuildRequestInput, BuilderOverview, FeatureId } from '../../../../services/api/contract.js';

type ScriptKind = 'generated' | 'custom' | 'none';

/** What to build: targets (one line each), feature switches, Ctrl-B wait, the embedded script, DEBUG. */
export function BuildForm({
  overview,
  busy,
  onBuild,
  onRecommended,
  checkScript,
}: {
  overview: BuilderOverview;
  busy: boolean;
  onBuild(req: BuildRequestInput): void;
  onRecommended(sourceId: string): void;
  checkScript(text: string): Promise<string[]>;
}) {
  const ready = overview.sources.filter((s) => s.state === 'ready');
  const [sourceId, setSourceId] = useState(ready[0]?.id ?? '');
  const [targets, setTargets] = useState<string[]>(['bin/undionly.kpxe']);
  const [features, setFeatures] = useState<FeatureId[]>(['syslog']);
  const [banner, setBanner] = useState('');
  const [scriptKind, setScriptKind] = useState<ScriptKind>('generated');
  const [text, setText] = useState('#!ipxe\ndhcp\nchain http://${next-server}/boot.ipxe\n');
  const [debug, setDebug] = useState('');
  const [logLevel, setLogLevel] = useState('');
  const [namedConfig, setNamedConfig] = useState('');
  const [problems, setProblems] = useState<string[]>([]);

  useEffect(() => {
    if (!ready.some((s) => s.id === sourceId) && ready[0]) setSourceId(ready[0].id);
  }, [ready, sourceId]);
  useEffect(() => {
    if (scriptKind !== 'custom') return setProblems([]);
    const t = setTimeout(() => void checkScript(text).then(setProblems), 300);
    return () => clearTimeout(t);
  }, [scriptKind, text, checkScript]);

  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const request = (): BuildRequestInput => ({
    sourceId,
    targets,
    features,
    bannerTimeout: banner.trim() === '' ? undefined : Number(banner),
    debug: debug.trim() || undefined,
    logLevel: (logLevel || undefined) as BuildRequestInput['logLevel'],
    namedConfig: namedConfig === 'qemu' ? 'qemu' : undefined,
    script: scriptKind === 'custom' ? { kind: 'custom', text } : { kind: scriptKind },
  });
  const noSource = !sourceId;
  return (
    <div className="card" aria-label="Build">
      <h2>Build</h2>
      <div className="form-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy || noSource}
          onClick={() => onRecommended(sourceId)}
          title="undionly.kpxe, ipxe.efi, snponly.efi (and ARM64 ipxe.efi) with syslog, HTTPS, PeerDist, no Ctrl-B wait and Bootlab's script; then DHCP hands them out"
        >
          Build Bootlab’s iPXE
        </button>
        <span className="muted">
          BIOS, UEFI x64{overview.arm64 ? ', UEFI ARM64' : ''} with syslog, HTTPS and PeerDist; DHCP hands
          them out when done.
        </span>
      </div>
      <label className="field">
        Source
        <select
          className="input"
          aria-label="Source"
          value={sourceId}
          onChange={(e) => setSourceId(e.target.value)}
        >
          {ready.length === 0 && <option value="">Add a source first</option>}
          {ready.map((s) => (
            <option key={s.id} value={s.id}>
              {s.location} {s.version ?? ''}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="choice-list" aria-label="Targets">
        <legend>Images</legend>
        {overview.targets.map((t) => (
          <label
            key={t.id}
            className={`choice${targets.includes(t.id) ? ' choice-checked' : ''}`}
            data-target={t.id}
          >
            <input
              type="checkbox"
              checked={targets.includes(t.id)}
              onChange={() => setTargets(toggle(targets, t.id))}
            />
            <span className="choice-label mono">{t.id}</span>
            <span className="choice-explain">{t.description}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="choice-list" aria-label="Features">
        <legend>Features</legend>
        {overview.features.map((f) => (
          <label
            key={f.id}
            className={`choice${features.includes(f.id) ? ' choice-checked' : ''}`}
            data-feature={f.id}
          >
            <input
              type="checkbox"
              checked={features.includes(f.id)}
              onChange={() => setFeatures(toggle(features, f.id))}
            />
            <span className="choice-label">{f.label}</span>
            <span className="choice-explain">{f.description}</span>
          </label>
        ))}
      </fieldset>
      <div className="inline-fields">
        <label className="field">
          Ctrl-B wait (tenths of a second, empty: iPXE’s 20)
          <input
            className="input"
            type="number"
            min={0}
            max={600}
            value={banner}
            onChange={(e) => setBanner(e.target.value)}
          />
        </label>
        <label className="field">
          DEBUG (optional, e.g. peermux:2)
          <input className="input mono" value={debug} onChange={(e) => setDebug(e.target.value)} />
        </label>
        <label className="field">
          Log level over syslog
          <select
            className="input"
            aria-label="Log level"
            value={logLevel}
            onChange={(e) => setLogLevel(e.target.value)}
          >
            <option value="">iPXE’s default (console text only)</option>
            <option value="notice">notice (downloads and image runs)</option>
            <option value="all">everything</option>
          </select>
        </label>
        <label className="field">
          Named config
          <select
            className="input"
            aria-label="Named config"
            value={namedConfig}
            onChange={(e) => setNamedConfig(e.target.value)}
            title="config/qemu is what QEMU's own NIC ROMs use: EFI_DOWNGRADE_UX makes a driver build (.efidrv in a NIC option ROM) provide only the network driver and leave network booting to the firmware's own PXE client"
          >
            <option value="">None (Bootlab’s overlay only)</option>
            <option value="qemu">qemu (EFI_DOWNGRADE_UX: .efidrv as a NIC ROM, firmware PXE on top)</option>
          </select>
        </label>
        <label className="field">
          Embedded script
          <select
            className="input"
            aria-label="Embedded script"
            value={scriptKind}
            onChange={(e) => setScriptKind(e.target.value as ScriptKind)}
          >
            <option value="generated">Bootlab’s: DHCP, then Bootlab’s boot script</option>
            <option value="custom">My own script</option>
            <option value="none">None (plain DHCP autoboot)</option>
          </select>
        </label>
      </div>
      {scriptKind === 'generated' && (
        <details>
          <summary>Show Bootlab’s script</summary>
          <pre className="code-block">{overview.generatedScript}</pre>
        </details>
      )}
      {scriptKind === 'custom' && (
        <label className="field">
          Script
          <textarea
            className="input mono"
            rows={8}
            aria-label="Script"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      )}
      {problems.map((p) => (
        <p key={p} className="field-error">
          {p}
        </p>
      ))}
      <div className="form-actions">
        <button
          type="button"
          className="button"
          disabled={busy || noSource || targets.length === 0 || problems.length > 0}
          onClick={() => onBuild(request())}
        >
          Build
        </button>
      </div>
    </div>
  );
}
