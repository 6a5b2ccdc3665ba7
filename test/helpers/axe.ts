import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * Runs axe-core (pinned in package.json) in the page and returns the serious and critical violations,
 * one readable line each. The source is evaluated over the DevTools protocol, so the UI's CSP
 * (script-src 'self') stays on while it runs.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

export async function seriousA11yViolations(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    }).then((r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact || '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    })))`)) as AxeFinding[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatFindings(findings: readonly AxeFinding[]): string {
  return findings.map((f) => `${f.impact} ${f.id}: ${f.help} (${f.targets.join(', ')})`).join('\n');
}
