; Bootlab NSIS include (electron-builder.json nsis.include). The installer runs elevated (perMachine), so
; it creates the Windows Firewall rules the boot services need once, for Bootlab's own program only:
; UDP 67 (DHCP), 69 (TFTP), 4011 (proxyDHCP), 514 (syslog) and TCP 80 (HTTP boot). The services host
; runs as this same program (ELECTRON_RUN_AS_NODE), so the rules cover it. Windows has no privileged
; ports, so the host itself never needs administrator rights. The uninstaller removes the rules.
; test/unit/electron/packaging-config.test.ts checks these ports against electron/elevation.ts.

!define BOOTLAB_FW_UDP "Bootlab boot services (UDP)"
!define BOOTLAB_FW_TCP "Bootlab boot services (TCP)"
!define BOOTLAB_UDP_PORTS "67,69,4011,514"
!define BOOTLAB_TCP_PORTS "80"

!macro bootlabDeleteFirewallRules
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${BOOTLAB_FW_UDP}"'
  Pop $0
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${BOOTLAB_FW_TCP}"'
  Pop $0
!macroend

!macro customInstall
  ; An upgrade or reinstall replaces the rules instead of adding duplicates.
  !insertmacro bootlabDeleteFirewallRules
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${BOOTLAB_FW_UDP}" dir=in action=allow protocol=UDP localport=${BOOTLAB_UDP_PORTS} program="$INSTDIR\${APP_EXECUTABLE_FILENAME}" enable=yes profile=any'
  Pop $0
  StrCmp $0 "0" +2 0
    DetailPrint "Bootlab could not add the firewall rule for UDP ${BOOTLAB_UDP_PORTS} (netsh exit $0). Add it in Windows Defender Firewall, or machines will not get answers."
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${BOOTLAB_FW_TCP}" dir=in action=allow protocol=TCP localport=${BOOTLAB_TCP_PORTS} program="$INSTDIR\${APP_EXECUTABLE_FILENAME}" enable=yes profile=any'
  Pop $0
  StrCmp $0 "0" +2 0
    DetailPrint "Bootlab could not add the firewall rule for TCP ${BOOTLAB_TCP_PORTS} (netsh exit $0). Add it in Windows Defender Firewall for HTTP boot."
!macroend

!macro customUnInstall
  !insertmacro bootlabDeleteFirewallRules
!macroend
