// Prints the functions with the most self time in a V8 .cpuprofile (from --cpu-prof), and the share of
// time under each of the given function names (inclusive). Usage:
//   node --import tsx bench/profile-top.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [top]');
const top = Number(process.argv[3] ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const hits = new Map<number, number>();
for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
const total = prof.samples.length;
const self = new Map<string, number>();
for (const [id, h] of hits) {
  const n = byId.get(id)!;
  const where = n.callFrame.url.replace(/^.*\/(services|node_modules|bench|test)\//, '$1/');
  const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + h);
}
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
console.log(`${file}: ${total} samples, ${((100 * idle) / total).toFixed(1)}% idle`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
