import { useState } from 'react';
import type { Profile } from '../../../../services/api/contract.js';
import { HostRulesEditor, type Rule } from './host-rules-editor';

type SecureBoot = Profile['dhcp']['secureBoot'];

const chainProblem = (v: string): string | undefined =>
  v === 'signed' || v === 'ipxe' ? undefined : 'Enter "signed" (shim and GRUB) or "ipxe".';

/**
 * Secure Boot machines (issue 16): nothing in a machine's DHCP request says Secure Boot is on, so the
 * technician says it here, for the whole bench or per machine. Those machines get the signed chain
 * (shim -> GRUB -> signed kernel) instead of iPXE, which their firmware would refuse.
 */
export function SecureBootCard({
  secureBoot,
  save,
}: {
  secureBoot: SecureBoot;
  save: (next: SecureBoot) => Promise<void>;
}) {
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const toggle = async (allMachines: boolean) => {
    setSaving(true);
    try {
      await save({ ...secureBoot, allMachines });
      setProblem(undefined);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <section className="card" aria-labelledby="secure-boot-title" data-card="secure-boot">
        <h2 id="secure-boot-title">Secure Boot machines</h2>
        <p className="field-help">
          A UEFI machine with Secure Boot on refuses iPXE (it is not signed), and its network request does not
          say Secure Boot is on, so tell Bootlab here. Those machines get the signed chain the distributions
          use: Microsoft-signed shim, then Debian-signed GRUB, then your menu as a GRUB menu. Only Linux
          entries with a signed kernel (and local disk, reboot, power off) work there; the other entries are
          listed with the reason they are not available. Needs the packages shim-signed and
          grub-efi-amd64-signed.
        </p>
        <label className="checkbox-line">
          <input
            type="checkbox"
            checked={secureBoot.allMachines}
            disabled={saving}
            onChange={(e) => void toggle(e.target.checked)}
          />{' '}
          Secure Boot machines on this bench (every UEFI x64 machine gets shim and GRUB)
        </label>
        {problem && <div className="field-error">{problem}</div>}
      </section>
      <HostRulesEditor
        title="Secure Boot per machine"
        explain='Set one machine apart from the bench setting: "signed" gives it shim and GRUB, "ipxe" gives it iPXE.'
        fieldPrefix="dhcp.secureBoot.hosts"
        itemLabel="Machine"
        fields={[{ key: 'chain', label: 'Boot with', placeholder: 'signed', check: chainProblem }]}
        rules={secureBoot.hosts.map((h) => ({ mac: h.mac, chain: h.chain }))}
        onSave={(rules: Rule[]) =>
          save({
            ...secureBoot,
            hosts: rules.map((r) => ({ mac: r.mac!, chain: r.chain === 'ipxe' ? 'ipxe' : 'signed' })),
          })
        }
      />
    </>
  );
}
