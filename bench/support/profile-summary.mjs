// Summary of a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and
// the most inclusive time of functions whose location matches a filter.
//   node bench/support/profile-summary.mjs <file.cpuprofile> [top=30] [filter=/src/]
import { readFileSync } from 'node:fs';

const [file, topArg = '30', filter = '/src/'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.mjs <file.cpuprofile> [top] [filter]');
const top = Number(topArg);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the samples and their time deltas.
const selfUs = new Map();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const label = (n) => {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\/.*?\/(node_modules|src|bench|test|devstack)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
};

const self = new Map();
for (const [id, us] of selfUs) {
  const key = label(nodes.get(id));
  self.set(key, (self.get(key) ?? 0) + us);
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
console.log(`\n-- self time, top ${top}`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);

// Inclusive time: each sample counts once for every distinct function on its stack.
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const n = nodes.get(cur);
    if (!n.callFrame.url.includes(filter)) continue;
    const key = label(n);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
});
console.log(`\n-- inclusive time of functions under '${filter}', top ${top}`);
for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
