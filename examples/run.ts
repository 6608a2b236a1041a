// `npm run example`: bundles the example charm against the built package, plays a scripted
// sequence of hooks and an action through its `dispatch` (each a new process, as Juju runs
// them) against the hook-tools simulator, and prints the status timeline, like
// `juju show-status-log`.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { StatusBase } from 'charms-contextual-status';
import { type HookRun, HookToolsSimulator } from 'charms-contextual-status/testing';

import { bundleOptions } from './webapp/build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const charm = join(here, 'webapp');

interface Step {
  /** A hook, or `action:<name>`. */
  run: string;
  /** What the operator or the other application did before it. */
  before?: (simulator: HookToolsSimulator) => Promise<void>;
  note: string;
}

const script: Step[] = [
  { run: 'install', note: 'deployed without a port' },
  { run: 'config-changed', note: 'juju config webapp port=8080', before: (s) => s.setConfig({ port: 8080 }) },
  {
    run: 'database-relation-joined',
    note: 'juju integrate webapp postgresql',
    before: (s) => s.setRelation('database:1', { 'postgresql/0': {} }),
  },
  {
    run: 'database-relation-changed',
    note: 'postgresql shares its endpoint, still starting',
    before: (s) => s.setRelation('database:1', { 'postgresql/0': { endpoint: '10.0.0.7:5432' } }),
  },
  {
    run: 'database-relation-changed',
    note: 'postgresql is ready',
    before: (s) =>
      s.setRelation('database:1', { 'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' } }),
  },
  { run: 'update-status', note: 'periodic check: the unit is reconciled, so nothing runs' },
  { run: 'config-changed', note: 'juju config webapp --reset port', before: (s) => s.setConfig({}) },
  { run: 'action:restart', note: 'juju run webapp/0 restart: the unit stays Blocked after it' },
];

const options = bundleOptions(join(here, '..', 'dist'));
await build(options);
await chmod(options.outfile, 0o755);

const simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', leader: true, charmDir: charm });
let failed = 0;
try {
  const rows: string[][] = [];
  const started = Date.now();
  for (const step of script) {
    await step.before?.(simulator);
    const action = step.run.startsWith('action:') ? step.run.slice('action:'.length) : undefined;
    const run: HookRun =
      action === undefined
        ? await simulator.runHook(charm, step.run)
        : await simulator.runAction(charm, action);
    if (run.exitCode !== 0) {
      failed += 1;
      process.stderr.write(`${step.run} failed (exit ${String(run.exitCode)}):\n${run.stderr}\n`);
    }
    const elapsed = `+${((Date.now() - started) / 1000).toFixed(2)}s`;
    rows.push([`# ${step.note}`]);
    const statuses: readonly StatusBase[] = run.statuses;
    if (statuses.length === 0) rows.push([elapsed, step.run, '(unchanged)', '']);
    statuses.forEach((status, index) => {
      rows.push([index === 0 ? elapsed : '', index === 0 ? step.run : '', status.name, status.message]);
    });
  }
  const header = ['Time', 'Hook', 'Status', 'Message'];
  const table = [header, ...rows.filter((r) => r.length > 1)];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r.length === 1
      ? (r[0] ?? '')
      : r
          .map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell))
          .join('  ')
          .trimEnd();
  console.log(
    `Status timeline of webapp/0 (${String(script.length)} hooks and actions, each a new process)\n`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const calls = await simulator.calls('status-set');
  const logs = await simulator.logs();
  console.log(
    `\n${String(calls.length)} status-set calls, ${String(logs.length)} juju-log calls. Final status: ${String(await simulator.status())}`,
  );
} finally {
  await simulator.cleanup();
}
if (failed > 0) process.exitCode = 1;
