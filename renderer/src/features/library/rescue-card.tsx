import { useState } from 'react';
import type { ClientSession, RescueResult } from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { ProblemBox } from '../../components/problem-box';

/**
 * One-click rescue on the Dashboard: pick a tool (an ISO from the library, or a tool already in the menu),
 * press Rescue; Bootlab makes it the menu's default, picks the DHCP mode itself (auto: proxy beside another
 * DHCP server) and starts every service. The card then follows the first machine that boots.
 */
export function RescueCard() {
  const { api, generation } = useApi();
  const library = useRequest(() => api.request('GET /api/library'), [api, generation]);
  const preview = useRequest(
    () => api.request('GET /api/menu/preview', { query: { platform: 'pcbios' } }),
    [api, generation],
  );
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [result, setResult] = useState<RescueResult | undefined>();
  const [machine, setMachine] = useState<ClientSession | undefined>();
  const [since, setSince] = useState(0);

  useLiveEvents(['library.changed'], () => void library.reload());
  useLiveEvents(['client.session'], (e) => {
    if (!result) return;
    const s = e.payload as ClientSession;
    if (Date.parse(s.lastSeen) < since) return;
    setMachine((m) => (!m || m.key === s.key ? s : m));
  });

  const tools: { id: string; label: string }[] = [];
  for (const iso of library.data?.isos ?? []) {
    if (iso.state === 'ready' && iso.menuId && iso.method) {
      const suffix = { extracted: 'k', wimboot: 'w', sanboot: 's', memdisk: 'm' }[iso.method];
      tools.push({ id: `${iso.menuId}-${suffix}`, label: `${iso.name} (${iso.file})` });
    }
  }
  // Tools already in the root menu (detected memtest86+, your own entries), except the plain ones.
  for (const r of preview.data?.menu.rows ?? []) {
    if (
      r.kind === 'item' &&
      r.id &&
      !r.id.startsWith('lib-') &&
      r.id !== 'rescue' &&
      !['local', 'shell', 'reboot', 'poweroff'].includes(r.id)
    ) {
      tools.push({ id: r.id, label: r.text });
    }
  }
  const picked = choice || tools[0]?.id || '';

  const rescue = async () => {
    setBusy(true);
    setProblem(undefined);
    setMachine(undefined);
    try {
      setSince(Date.now());
      setResult(await api.request('POST /api/library/rescue', { body: { entryId: picked } }));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card" data-testid="rescue-card">
      <h2>One-click rescue</h2>
      <p className="muted">
        Boot every machine on the wire into one tool. Bootlab makes it the menu’s default, listens for another
        DHCP server first (and works beside it), and starts every service.
      </p>
      <div className="inline-fields">
        <select
          className="input"
          aria-label="Rescue tool"
          value={picked}
          onChange={(e) => setChoice(e.target.value)}
        >
          {tools.length === 0 && <option value="">No tool yet: add an ISO in the Library</option>}
          {tools.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-primary"
          disabled={busy || !picked}
          onClick={() => void rescue()}
        >
          {busy ? 'Starting…' : 'Rescue'}
        </button>
      </div>
      {problem && <ProblemBox problem={problem} />}
      {result && (
        <dl className="facts" data-testid="rescue-result">
          <dt>Default entry</dt>
          <dd>{result.label}</dd>
          <dt>DHCP</dt>
          <dd data-testid="rescue-dhcp">{result.dhcp}</dd>
          <dt>Services</dt>
          <dd>{result.services.map((s) => `${s.service} ${s.state}`).join(', ')}</dd>
          <dt>First machine</dt>
          <dd data-testid="rescue-machine">
            {machine
              ? `${machine.mac ?? machine.ip ?? machine.key}: ${machine.stage}${machine.menuEntry ? ` (${machine.menuEntry})` : ''}`
              : 'Waiting for a machine to network-boot…'}
          </dd>
        </dl>
      )}
    </div>
  );
}
