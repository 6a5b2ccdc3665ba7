import { useState } from 'react';
import type { LabCapabilities, TestBootRequestInput } from '../../../../services/api/contract.js';

const FIRMWARE: { id: NonNullable<TestBootRequestInput['firmware']>; label: string; explain: string }[] = [
  { id: 'bios', label: 'BIOS', explain: 'SeaBIOS with QEMU’s iPXE network ROM, like a legacy PC.' },
  {
    id: 'uefi',
    label: 'UEFI (firmware PXE)',
    explain: 'OVMF’s own PXE client, like a real UEFI PC: loads the iPXE first stage over TFTP.',
  },
  { id: 'uefi-ipxe', label: 'UEFI with iPXE ROM', explain: 'OVMF with QEMU’s iPXE network ROM.' },
];

/** The test VM's settings: firmware, network card, memory, network, optional MAC. */
export function TestBootForm({
  capabilities,
  busy,
  onStart,
  fieldErrors = {},
}: {
  capabilities: LabCapabilities;
  busy: boolean;
  onStart: (req: TestBootRequestInput) => void;
  /** The server's field problems by request field (memoryMb, mac), shown under their inputs. */
  fieldErrors?: Record<string, string>;
}) {
  const [req, setReq] = useState<TestBootRequestInput>({
    firmware: 'bios',
    nic: 'virtio',
    memoryMb: 512,
    network: 'auto',
  });
  const set = (patch: Partial<TestBootRequestInput>) => setReq({ ...req, ...patch });
  // OVMF's own PXE needs the VM on Bootlab's interface (lab-manager refuses it on user networking).
  const refused = (id: string): string | undefined =>
    id === 'uefi' && (capabilities.bridge || req.network === 'user')
      ? `Needs Bootlab’s interface: ${capabilities.bridge ?? 'QEMU user network chosen'}.`
      : undefined;
  const firmwareProblem = refused(req.firmware ?? 'bios');
  const missing = capabilities.firmware[req.firmware ?? 'bios'] ?? firmwareProblem;
  return (
    <div className="card">
      <h2>New test boot</h2>
      <div className="choice-list" role="radiogroup" aria-label="Firmware">
        {FIRMWARE.map((f) => {
          const why = refused(f.id);
          return (
            <label
              key={f.id}
              className={`choice${req.firmware === f.id ? ' choice-checked' : ''}${why ? ' choice-disabled' : ''}`}
              data-firmware={f.id}
            >
              <input
                type="radio"
                name="firmware"
                checked={req.firmware === f.id}
                disabled={Boolean(why)}
                onChange={() => set({ firmware: f.id })}
              />
              <span className="choice-label">{f.label}</span>
              <span className="choice-explain">{why ?? f.explain}</span>
            </label>
          );
        })}
      </div>
      <div className="inline-fields">
        <label className="field">
          Network card
          <select
            className="input"
            aria-label="Network card"
            value={req.nic}
            onChange={(e) => set({ nic: e.target.value as TestBootRequestInput['nic'] })}
          >
            <option value="virtio">virtio-net</option>
            <option value="e1000">Intel e1000</option>
            <option value="rtl8139">Realtek rtl8139</option>
          </select>
        </label>
        <label className="field">
          Memory (MiB)
          <input
            className="input"
            type="number"
            min={128}
            max={8192}
            value={req.memoryMb}
            aria-label="Memory (MiB)"
            aria-invalid={fieldErrors.memoryMb ? true : undefined}
            onChange={(e) => set({ memoryMb: Number(e.target.value) })}
          />
          {fieldErrors.memoryMb && <span className="field-error">{fieldErrors.memoryMb}</span>}
        </label>
        <label className="field">
          Network
          <select
            className="input"
            aria-label="Network"
            value={req.network}
            onChange={(e) => set({ network: e.target.value as TestBootRequestInput['network'] })}
          >
            <option value="auto">Automatic</option>
            <option value="bridge">Bootlab’s interface (DHCP, TFTP, HTTP)</option>
            <option value="user">QEMU user network (HTTP menu only)</option>
          </select>
        </label>
        <label className="field">
          MAC (optional)
          <input
            className="input mono"
            placeholder="52:54:00:12:34:56"
            value={req.mac ?? ''}
            aria-invalid={fieldErrors.mac ? true : undefined}
            onChange={(e) => set({ mac: e.target.value.trim() === '' ? undefined : e.target.value.trim() })}
          />
          {fieldErrors.mac && <span className="field-error">{fieldErrors.mac}</span>}
        </label>
      </div>
      {capabilities.bridge && req.network !== 'user' && (
        <p className="notice">
          Test VMs cannot join Bootlab’s interface here: {capabilities.bridge}. They use QEMU’s user network
          instead, which boots Bootlab’s HTTP menu only; DHCP and TFTP are not exercised.
        </p>
      )}
      {missing && <p className="field-error">{missing}</p>}
      <div className="form-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy || !capabilities.qemu || Boolean(missing)}
          onClick={() => onStart(req)}
        >
          Start test boot
        </button>
      </div>
    </div>
  );
}
