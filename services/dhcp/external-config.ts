import type { FirstStageNames } from './policy.js';
import type { ExternalConfig } from './views.js';
export type { ExternalConfig } from './views.js';

/**
 * "Use my existing DHCP server": the settings a site's own DHCP server needs to boot machines from Bootlab
 * (ISC dhcpd, Kea, dnsmasq, Windows Server DHCP). Pure text generators; the UI shows them ready to copy.
 * Same policy as Bootlab's own server (policy.ts): iPXE (user class "iPXE") gets the script URL, firmware
 * gets the iPXE first stage by architecture (RFC 4578 option 93), UEFI HTTP boot gets an http:// URL.
 */

export interface ExternalConfigInput {
  /** Bootlab's address on the boot network (next-server, TFTP). */
  bootlabAddress: string;
  /** e.g. http://10.77.0.1:8080; null when HTTP is off (iPXE then fetches the script by TFTP). */
  httpBase: string | null;
  scriptPath?: string;
  firstStage: FirstStageNames;
  /** Set option 7 so iPXE logs to Bootlab's syslog. */
  syslog?: boolean;
}

function script(i: ExternalConfigInput): string {
  const path = i.scriptPath ?? '/boot.ipxe';
  return i.httpBase ? `${i.httpBase}${path}` : path.replace(/^\//, '');
}

function httpUrl(i: ExternalConfigInput, name: string): string | null {
  return i.httpBase ? `${i.httpBase}/${name}` : null;
}

export function iscDhcpdConfig(i: ExternalConfigInput): ExternalConfig {
  const f = i.firstStage;
  const http = httpUrl(i, f['efi-x64']);
  const text = [
    '# Bootlab network boot (ISC dhcpd). Declarations at the top of dhcpd.conf:',
    'option arch code 93 = unsigned integer 16;            # RFC 4578 client architecture',
    'option space ipxe;',
    'option ipxe-encap-opts code 175 = encapsulate ipxe;',
    'option ipxe.no-pxedhcp code 176 = unsigned integer 8; # iPXE: do not wait 2 s for ProxyDHCP',
    '',
    '# Inside your subnet { ... } (or at global scope):',
    `next-server ${i.bootlabAddress};`,
    `option tftp-server-name "${i.bootlabAddress}";`,
    ...(i.syslog ? [`option log-servers ${i.bootlabAddress};`] : []),
    'if exists user-class and option user-class = "iPXE" {',
    '  option ipxe.no-pxedhcp 1;',
    `  filename "${script(i)}";`,
    ...(http
      ? [
          '} elsif substring(option vendor-class-identifier, 0, 10) = "HTTPClient" {',
          '  option vendor-class-identifier "HTTPClient";',
          `  filename "${http}";`,
        ]
      : []),
    '} elsif option arch = 00:07 or option arch = 00:09 {',
    `  filename "${f['efi-x64']}";`,
    '} elsif option arch = 00:06 {',
    `  filename "${f['efi-ia32']}";`,
    '} elsif option arch = 00:0b {',
    `  filename "${f['efi-arm64']}";`,
    '} elsif option arch = 00:0a {',
    `  filename "${f['efi-arm32']}";`,
    '} else {',
    `  filename "${f.bios}";`,
    '}',
  ].join('\n');
  return {
    server: 'isc-dhcpd',
    title: 'ISC dhcpd',
    where: '/etc/dhcp/dhcpd.conf (declarations at the top, the rest inside the subnet)',
    language: 'conf',
    text: text + '\n',
  };
}

export function keaConfig(i: ExternalConfigInput): ExternalConfig {
  const f = i.firstStage;
  const common = (file: string): Record<string, unknown> => ({
    'next-server': i.bootlabAddress,
    'boot-file-name': file,
    'option-data': [
      { name: 'tftp-server-name', data: i.bootlabAddress },
      { name: 'boot-file-name', data: file },
      ...(i.syslog ? [{ name: 'log-servers', data: i.bootlabAddress }] : []),
    ],
  });
  const notIpxe = "not member('bootlab-ipxe')";
  const arch = (codes: number[]): string =>
    codes.map((c) => `option[93].hex == 0x${c.toString(16).padStart(4, '0')}`).join(' or ');
  const ipxe = common(script(i));
  (ipxe['option-data'] as unknown[]).push(
    { name: 'no-pxedhcp', space: 'ipxe', data: '1' },
    { name: 'ipxe-encap-opts', data: '' },
  );
  const http = httpUrl(i, f['efi-x64']);
  const classes: Record<string, unknown>[] = [
    { name: 'bootlab-ipxe', test: "substring(option[77].hex,0,4) == 'iPXE'", ...ipxe },
    ...(http
      ? [
          {
            name: 'bootlab-uefi-http',
            test: `${notIpxe} and substring(option[60].hex,0,10) == 'HTTPClient'`,
            ...common(http),
            'option-data': [
              ...(common(http)['option-data'] as unknown[]),
              { name: 'vendor-class-identifier', data: 'HTTPClient' },
            ],
          },
        ]
      : []),
    { name: 'bootlab-uefi-x64', test: `${notIpxe} and (${arch([7, 9])})`, ...common(f['efi-x64']) },
    { name: 'bootlab-uefi-ia32', test: `${notIpxe} and (${arch([6])})`, ...common(f['efi-ia32']) },
    { name: 'bootlab-uefi-arm64', test: `${notIpxe} and (${arch([11])})`, ...common(f['efi-arm64']) },
    { name: 'bootlab-bios', test: `${notIpxe} and (${arch([0])})`, ...common(f.bios) },
  ];
  const json = {
    Dhcp4: {
      'option-def': [
        { space: 'ipxe', name: 'no-pxedhcp', code: 176, type: 'uint8' },
        { space: 'dhcp4', name: 'ipxe-encap-opts', code: 175, type: 'empty', encapsulate: 'ipxe' },
      ],
      'client-classes': classes,
    },
  };
  return {
    server: 'kea',
    title: 'Kea DHCPv4',
    where: 'kea-dhcp4.conf: merge "option-def" and "client-classes" into your Dhcp4 object',
    language: 'json',
    text: JSON.stringify(json, null, 2) + '\n',
  };
}

export function dnsmasqConfig(i: ExternalConfigInput): ExternalConfig {
  const f = i.firstStage;
  const s = i.bootlabAddress;
  const http = httpUrl(i, f['efi-x64']);
  const lines = [
    '# Bootlab network boot (dnsmasq). Tags by architecture (RFC 4578 option 93) and iPXE user class.',
    'dhcp-userclass=set:bootlab-ipxe,iPXE',
    'dhcp-match=set:bootlab-ipxe,175',
    'dhcp-match=set:bootlab-bios,option:client-arch,0',
    'dhcp-match=set:bootlab-efi32,option:client-arch,6',
    'dhcp-match=set:bootlab-efi64,option:client-arch,7',
    'dhcp-match=set:bootlab-efi64,option:client-arch,9',
    'dhcp-match=set:bootlab-arm64,option:client-arch,11',
    ...(http ? ['dhcp-vendorclass=set:bootlab-http,HTTPClient'] : []),
    `dhcp-boot=tag:bootlab-ipxe,${script(i)},,${s}`,
    'dhcp-option=tag:bootlab-ipxe,encap:175,176,1b   # iPXE: do not wait for ProxyDHCP',
    ...(http
      ? [
          `dhcp-boot=tag:!bootlab-ipxe,tag:bootlab-http,${http}`,
          'dhcp-option-force=tag:bootlab-http,60,HTTPClient',
        ]
      : []),
    `dhcp-boot=tag:!bootlab-ipxe,tag:bootlab-bios,${f.bios},,${s}`,
    `dhcp-boot=tag:!bootlab-ipxe,tag:bootlab-efi32,${f['efi-ia32']},,${s}`,
    `dhcp-boot=tag:!bootlab-ipxe,tag:bootlab-efi64,${f['efi-x64']},,${s}`,
    `dhcp-boot=tag:!bootlab-ipxe,tag:bootlab-arm64,${f['efi-arm64']},,${s}`,
    `dhcp-option=66,"${s}"`,
    ...(i.syslog ? [`dhcp-option=tag:bootlab-ipxe,7,${s}`] : []),
  ];
  return {
    server: 'dnsmasq',
    title: 'dnsmasq',
    where: '/etc/dnsmasq.d/bootlab.conf, then restart dnsmasq',
    language: 'conf',
    text: lines.join('\n') + '\n',
  };
}

export function windowsDhcpConfig(i: ExternalConfigInput): ExternalConfig {
  const f = i.firstStage;
  const s = i.bootlabAddress;
  const q = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  const policy = (name: string, order: number, condition: string, file: string): string[] => [
    `Add-DhcpServerv4Policy -Name ${q(name)} -ProcessingOrder ${order} -Condition OR ${condition}`,
    `Set-DhcpServerv4OptionValue -PolicyName ${q(name)} -OptionId 66 -Value ${q(s)}`,
    `Set-DhcpServerv4OptionValue -PolicyName ${q(name)} -OptionId 67 -Value ${q(file)}`,
  ];
  const lines = [
    '# Bootlab network boot (Windows Server DHCP, PowerShell as Administrator on the DHCP server).',
    '# Server-wide policies; add -ScopeId <scope> to each Add-/Set- line to limit them to one scope.',
    "Add-DhcpServerv4Class -Name 'iPXE' -Type User -Data 'iPXE'",
    "Add-DhcpServerv4Class -Name 'PXEClient (BIOS)' -Type Vendor -Data 'PXEClient:Arch:00000'",
    "Add-DhcpServerv4Class -Name 'PXEClient (UEFI x64)' -Type Vendor -Data 'PXEClient:Arch:00007'",
    "Add-DhcpServerv4Class -Name 'PXEClient (UEFI x64 9)' -Type Vendor -Data 'PXEClient:Arch:00009'",
    "Add-DhcpServerv4Class -Name 'PXEClient (UEFI IA32)' -Type Vendor -Data 'PXEClient:Arch:00006'",
    "Add-DhcpServerv4Class -Name 'PXEClient (UEFI ARM64)' -Type Vendor -Data 'PXEClient:Arch:00011'",
    ...policy('Bootlab iPXE', 1, "-UserClass EQ,'iPXE'", script(i)),
    ...policy(
      'Bootlab UEFI x64',
      2,
      "-VendorClass EQ,'PXEClient (UEFI x64)*','PXEClient (UEFI x64 9)*'",
      f['efi-x64'],
    ),
    ...policy('Bootlab UEFI IA32', 3, "-VendorClass EQ,'PXEClient (UEFI IA32)*'", f['efi-ia32']),
    ...policy('Bootlab UEFI ARM64', 4, "-VendorClass EQ,'PXEClient (UEFI ARM64)*'", f['efi-arm64']),
    ...policy('Bootlab BIOS', 5, "-VendorClass EQ,'PXEClient (BIOS)*'", f.bios),
    ...(i.syslog
      ? [`Set-DhcpServerv4OptionValue -PolicyName 'Bootlab iPXE' -OptionId 7 -Value ${q(s)}`]
      : []),
    '# netsh has no policies; on Windows Server 2008 R2 and older set only the BIOS file:',
    `#   netsh dhcp server scope <scope> set optionvalue 066 STRING "${s}"`,
    `#   netsh dhcp server scope <scope> set optionvalue 067 STRING "${f.bios}"`,
  ];
  return {
    server: 'windows',
    title: 'Windows Server DHCP',
    where: 'PowerShell on the DHCP server (DhcpServer module, Windows Server 2012 or later)',
    language: 'powershell',
    text: lines.join('\n') + '\n',
  };
}

/** All four, in the order the UI shows them. */
export function externalServerConfigs(i: ExternalConfigInput): ExternalConfig[] {
  return [iscDhcpdConfig(i), keaConfig(i), dnsmasqConfig(i), windowsDhcpConfig(i)];
}
