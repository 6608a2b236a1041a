// `npm run example`: plays a scripted sequence of hooks against the example charm, each hook a
// separate process started through `dispatch` as Juju starts them, against the hook-tools
// simulator; then prints the status timeline, like `juju show-status-log`.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { StatusBase } from 'charms-contextual-status';
import { HookToolsSimulator } from 'charms-contextual-status/testing';

const charm = join(dirname(fileURLToPath(import.meta.url)), 'webapp');

interface Step {
  hook: string;
  /** What the operator or the other application did before the hook ran. */
  before?: (simulator: HookToolsSimulator) => Promise<void>;
  note: string;
}

const script: Step[] = [
  { hook: 'install', note: 'deployed without a port' },
  {
    hook: 'config-changed',
    note: 'juju config webapp port=8080',
    before: (s) => s.setConfig({ port: 8080 }),
  },
  {
    hook: 'database-relation-joined',
    note: 'juju integrate webapp postgresql',
    before: (s) => s.setRelation('database:1', { 'postgresql/0': {} }),
  },
  {
    hook: 'database-relation-changed',
    note: 'postgresql shares its endpoint, still starting',
    before: (s) => s.setRelation('database:1', { 'postgresql/0': { endpoint: '10.0.0.7:5432' } }),
  },
  {
    hook: 'database-relation-changed',
    note: 'postgresql is ready',
    before: (s) =>
      s.setRelation('database:1', { 'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' } }),
  },
  { hook: 'update-status', note: 'periodic check' },
];

function dispatch(simulator: HookToolsSimulator, hook: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(charm, 'dispatch'),
      [],
      { cwd: charm, env: { ...simulator.env, JUJU_CHARM_DIR: charm, JUJU_DISPATCH_PATH: `hooks/${hook}` } },
      (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stderr });
      },
    );
  });
}

const simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', leader: true });
let failed = 0;
try {
  const rows: [string, string, string, string][] = [];
  let seen = 0;
  const started = Date.now();
  for (const step of script) {
    await step.before?.(simulator);
    const { code, stderr } = await dispatch(simulator, step.hook);
    if (code !== 0) {
      failed += 1;
      process.stderr.write(`hook ${step.hook} failed (exit ${String(code)}):\n${stderr}\n`);
    }
    const history: StatusBase[] = await simulator.statusHistory();
    const added = history.slice(seen);
    seen = history.length;
    const elapsed = `+${((Date.now() - started) / 1000).toFixed(2)}s`;
    rows.push([`# ${step.note}`, '', '', '']);
    if (added.length === 0) rows.push([elapsed, step.hook, '(unchanged)', '']);
    added.forEach((status, index) => {
      rows.push([index === 0 ? elapsed : '', index === 0 ? step.hook : '', status.name, status.message]);
    });
  }
  const header: [string, string, string, string] = ['Time', 'Hook', 'Status', 'Message'];
  const table = [header, ...rows.filter((r) => !r[0].startsWith('#'))];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const line = (r: [string, string, string, string]): string =>
    r[0].startsWith('#')
      ? r[0]
      : `${r[0].padEnd(widths[0] ?? 0)}  ${r[1].padEnd(widths[1] ?? 0)}  ${r[2].padEnd(widths[2] ?? 0)}  ${r[3]}`.trimEnd();
  console.log(`Status timeline of webapp/0 (${String(script.length)} hooks, each a separate process)\n`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const calls = await simulator.calls('status-set');
  const logs = await simulator.logs();
  console.log(
    `\n${String(calls.length)} status-set calls, ${String(logs.length)} juju-log lines. Final status: ${String(await simulator.status())}`,
  );
} finally {
  await simulator.cleanup();
}
if (failed > 0) process.exitCode = 1;
