import { useEffect, useRef, useState } from 'react';
import type { TestBootRequestInput, TestBootVm } from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import { TerminalView } from '../../terminal/terminal-view';
import { TestBootForm } from './test-boot-form';
import { stageWords } from './stage-words';
import { toSerialKeys } from './serial-keys';

/**
 * Test boot: start a QEMU VM as a client of Bootlab and watch its serial console live, with stop and reset.
 * A technician checks a new menu entry here without walking to the bench.
 */
export function TestBootPage() {
  const { api, generation } = useApi();
  const lab = useRequest(() => api.request('GET /api/lab'), [api, generation]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [chunks, setChunks] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const show = async (id: string) => {
    setSelected(id);
    const { data } = await api.request('GET /api/lab/vms/:id/console', { params: { id } });
    setChunks([data]);
  };

  // After a reload (or coming back to this page) show what runs: the newest running VM, else the newest.
  useEffect(() => {
    const vms = lab.data?.vms ?? [];
    if (selected || vms.length === 0) return;
    const pick = [...vms].reverse().find((v) => v.state === 'running') ?? vms[vms.length - 1]!;
    void show(pick.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lab.data]);

  // Keystrokes go out one request at a time, in order (parallel POSTs could overtake each other).
  const typed = useRef({ pending: '', sending: false });
  const sendKeys = (id: string, data: string) => {
    const q = typed.current;
    q.pending += toSerialKeys(data);
    if (q.sending) return;
    q.sending = true;
    void (async () => {
      try {
        while (q.pending) {
          const chunk = q.pending.slice(0, 4096);
          q.pending = q.pending.slice(chunk.length);
          await api.request('POST /api/lab/vms/:id/input', { params: { id }, body: { data: chunk } });
        }
      } catch (err) {
        q.pending = '';
        setProblem(toProblem(err));
      } finally {
        q.sending = false;
      }
    })();
  };

  useLiveEvents(['lab.console'], (event) => {
    const p = event.payload;
    if (p.vmId === selected) setChunks((c) => [...c, p.state === 'exited' ? `\r\n${p.data}\r\n` : p.data]);
    if (p.state === 'exited') void lab.reload();
  });

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await fn();
      await lab.reload();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  };

  const start = (req: TestBootRequestInput) =>
    act(async () => {
      const { vm } = await api.request('POST /api/lab/vms', { body: req });
      setSelected(vm.id);
      setChunks([]);
    });

  const vms = lab.data?.vms ?? [];
  const current = vms.find((v) => v.id === selected);
  return (
    <Page
      title="Test boot"
      intro="Boot a virtual machine against Bootlab to check the menu and its entries before using them on the bench."
    >
      {lab.problem && <ProblemBox problem={lab.problem} />}
      {problem && <ProblemBox problem={problem} title="The test VM could not start" />}
      {lab.data && !lab.data.capabilities.qemu && (
        <ProblemBox
          problem={{
            message: 'QEMU is not installed, so no test VM can start.',
            hint: 'Install it (Debian/Ubuntu: sudo apt-get install qemu-system-x86 ovmf), then reload this page.',
            code: 'NO_QEMU',
          }}
        />
      )}
      {lab.data && (
        <TestBootForm
          capabilities={lab.data.capabilities}
          busy={busy}
          onStart={(r) => void start(r)}
          fieldErrors={Object.fromEntries((problem?.fields ?? []).map((f) => [f.field, f.message]))}
        />
      )}
      {vms.length > 0 && <VmTable vms={vms} selected={selected} onSelect={(id) => void show(id)} />}
      {/* The form already says why VMs use QEMU's user network; say it here only when the form does not. */}
      {current?.note && !lab.data?.capabilities.bridge && <p className="notice">{current.note}</p>}
      <TerminalView
        title={
          current ? `Serial console: ${current.firmware}, ${current.nic}, ${current.mac}` : 'Serial console'
        }
        chunks={chunks}
        resetKey={selected}
        emptyText={
          current ? 'Waiting for the VM’s first output…' : 'Start a test boot to see its console here.'
        }
        onInput={current?.state === 'running' ? (data) => sendKeys(current.id, data) : undefined}
        focusKey={current?.state === 'running' ? current.id : undefined}
        buttons={
          current
            ? [
                {
                  label: 'Reset',
                  disabled: busy || current.state !== 'running',
                  onClick: () =>
                    void act(() =>
                      api.request('POST /api/lab/vms/:id/reset', { params: { id: current.id } }),
                    ),
                },
                {
                  label: 'Stop',
                  tone: 'danger',
                  disabled: busy || current.state !== 'running',
                  onClick: () =>
                    void act(() => api.request('POST /api/lab/vms/:id/stop', { params: { id: current.id } })),
                },
              ]
            : []
        }
      />
    </Page>
  );
}

function VmTable({
  vms,
  selected,
  onSelect,
}: {
  vms: TestBootVm[];
  selected?: string;
  onSelect: (id: string) => void;
}) {
  return (
    <div className="card table-card">
      <table className="table">
        <thead>
          <tr>
            <th>VM</th>
            <th>Firmware</th>
            <th>Network</th>
            <th>State</th>
            <th>Stages (s)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {vms.map((vm) => (
            <tr key={vm.id} data-vm={vm.id} data-vm-state={vm.state}>
              <td className="mono">{vm.mac}</td>
              <td>
                {vm.firmware}, {vm.nic}, {vm.memoryMb} MiB
              </td>
              <td>{vm.network === 'bridge' ? 'Bootlab interface' : 'QEMU user network'}</td>
              <td>{vm.state === 'exited' ? `exited (${vm.exitCode ?? '–'})` : 'running'}</td>
              <td className="small">
                {vm.stages.map((s) => `${stageWords(s.stage)} ${(s.atMs / 1000).toFixed(1)}`).join(' · ') ||
                  '—'}
              </td>
              <td>
                <button
                  type="button"
                  className="button button-small"
                  disabled={vm.id === selected}
                  onClick={() => onSelect(vm.id)}
                >
                  {vm.id === selected ? 'Shown' : 'Show console'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
