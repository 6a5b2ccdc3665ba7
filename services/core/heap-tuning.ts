import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at its starting size (1 MiB semi-spaces) in the services host. Under
 * allocation churn (many TFTP transfers, hundreds of downloads) V8 doubles it up to 16 MiB semi-spaces,
 * which is most of the host's peak memory: with 100 TFTP clients / 200 HTTP downloads the peak RSS was
 * 140–153 MiB by default and 104–115 MiB with the young generation held small (docs/decisions.md,
 * "Performance (issue 18)"; the CPU cost of the extra scavenges stayed within the run-to-run noise).
 * `--max-semi-space-size` does the same but only on the command line, which neither bin/bootlab.js nor the
 * Electron spawn can carry portably; `semi_space_growth_factor` is read each time V8 would grow the space,
 * so setting it at run time works. A V8 without that flag prints "unrecognized flag" and carries on.
 */
export function keepYoungGenerationSmall(): void {
  if (process.env.BOOTLAB_V8_YOUNG_GROWTH === 'default') return; // to measure or compare without it
  setFlagsFromString('--semi-space-growth-factor=1');
}
