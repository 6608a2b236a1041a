// The charm, hook by hook, against the hook-tools simulator, two ways: in the test's own
// process (the charm module imported, each hook a millisecond or two), and as `charmcraft pack`
// would ship it (dispatch, the bundle and the metadata copied to an empty folder with no
// node_modules, each hook a new process as under Juju). Each step declares what changed in the
// world and asserts the status the charm means; the last spec runs every step both ways and
// shows they agree.
import { expect } from 'chai';
import {
  access,
  chmod,
  constants,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  symlink,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BlockedStatus } from 'charms-contextual-status';
import { type HookRun, HookToolsSimulator, type SimulatorOptions } from 'charms-contextual-status/testing';

import { charm as inProcess } from '../src/charm.js';

const project = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The files the packed charm holds, from the project (bin/node comes from the node part). */
const PACKED = ['dispatch', 'dist/charm.cjs', 'charmcraft.yaml'];

const texts = (values: readonly unknown[]): string[] => values.map(String);

/** The charm as packed: a folder like the one `charmcraft pack` primes. */
async function packed(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'webapp-charm-'));
  for (const file of PACKED) {
    await mkdir(dirname(join(folder, file)), { recursive: true });
    await copyFile(join(project, file), join(folder, file));
  }
  await chmod(join(folder, 'dispatch'), 0o755);
  // The node part's Node: this very one.
  await mkdir(join(folder, 'bin'));
  await symlink(process.execPath, join(folder, 'bin', 'node'));
  return folder;
}

// The charm's own charmcraft.yaml: the simulator holds it to what it declares.
const WORLD: SimulatorOptions = { unitName: 'webapp/0', leader: true, charmDir: project };
const DATABASE = { 'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' } };

for (const way of ['in process', 'as packed'] as const) {
  describe(`the webapp charm, ${way}`, () => {
    let charm: typeof inProcess | string = inProcess;
    let simulator: HookToolsSimulator;

    before(async () => {
      if (way === 'as packed') charm = await packed();
    });

    after(async () => {
      if (typeof charm === 'string') await rm(charm, { recursive: true, force: true });
    });

    beforeEach(async () => {
      simulator = await HookToolsSimulator.create(WORLD);
    });

    afterEach(async () => {
      await simulator.cleanup();
    });

    it('is Blocked on a port at install, then on a database', async () => {
      const install = await simulator.runHook(charm, 'install');
      expect(install.exitCode, install.stderr).to.equal(0);
      expect(texts(install.statuses)).to.deep.equal([
        'maintenance: Installing packages',
        'blocked: Set the "port" option: juju config webapp port=8080',
      ]);
      await simulator.setConfig({ port: 8080 });
      const configured = await simulator.runHook(charm, 'config-changed');
      expect(texts(configured.statuses)).to.deep.equal([
        'blocked: Add a database: juju integrate webapp postgresql',
      ]);
      expect(texts(configured.applicationStatuses)).to.deep.equal(texts(configured.statuses));
    });

    it('waits for the database through its relation hooks, then serves', async () => {
      await simulator.setConfig({ port: 8080 });
      await simulator.setRelation('database:1', { 'postgresql/0': {} });
      const joined = await simulator.runHook(charm, 'database-relation-joined');
      expect(texts(joined.statuses)).to.deep.equal([
        'waiting: Waiting for the database to share its endpoint',
      ]);
      await simulator.setRelation('database:1', { 'postgresql/0': { endpoint: '10.0.0.7:5432' } });
      const starting = await simulator.runHook(charm, 'database-relation-changed');
      expect(starting.exitCode).to.equal(0);
      expect(texts(starting.statuses).at(-1)).to.equal(
        'waiting: Waiting for the database to accept connections',
      );
      await simulator.setRelation('database:1', DATABASE);
      const ready = await simulator.runHook(charm, 'database-relation-changed');
      expect(texts(ready.statuses).at(-1)).to.equal('active: Serving on :8080');
      expect(ready.after.ports).to.deep.equal([{ protocol: 'tcp', port: 8080 }]);
      await simulator.setConfig({ port: 9090 });
      const moved = await simulator.runHook(charm, 'config-changed');
      expect(texts(moved.statuses).at(-1)).to.equal('active: Serving on :9090');
      expect(moved.after.ports, 'the old port closed').to.deep.equal([{ protocol: 'tcp', port: 9090 }]);
    });

    it('skips update-status once reconciled: no status-set', async () => {
      await simulator.setConfig({ port: 8080 });
      await simulator.setRelation('database:1', DATABASE);
      await simulator.runHook(charm, 'config-changed');
      const quiet = await simulator.runHook(charm, 'update-status');
      expect(quiet.exitCode).to.equal(0);
      expect(quiet.calls.map((c) => c.tool)).to.deep.equal(['state-get', 'juju-log']);
    });

    it('restarts on the restart action, leaving a Blocked unit Blocked', async () => {
      await simulator.cleanup();
      simulator = await HookToolsSimulator.create({
        unitName: 'webapp/0',
        unitStatus: new BlockedStatus('Add a database: juju integrate webapp postgresql'),
      });
      const run = await simulator.runAction(charm, 'restart');
      expect(run).to.deep.include({ exitCode: 0, failed: false });
      expect(run.results).to.deep.equal({ restarted: 'true' });
      expect(texts(run.statuses)).to.deep.equal([
        'maintenance: Restarting the web server',
        'blocked: Add a database: juju integrate webapp postgresql',
      ]);
    });
  });
}

describe('the webapp charm, as packed, its folder', () => {
  it("holds no node_modules, and an executable entry point where charmcraft's linter looks", async () => {
    const charm = await packed();
    try {
      expect(await readdir(charm)).to.have.members(['bin', 'charmcraft.yaml', 'dispatch', 'dist']);
      // The linter takes the last word of dispatch's last line, relative to the charm.
      const lines = (await readFile(join(charm, 'dispatch'), 'utf8')).trim().split('\n');
      const entry = lines.at(-1)?.split(/\s+/).at(-1) ?? '';
      expect(entry).to.equal('dist/charm.cjs');
      await access(join(charm, entry), constants.X_OK);
    } finally {
      await rm(charm, { recursive: true, force: true });
    }
  });
});

/** What a hook run did, as both ways must agree on it. */
function observed(run: HookRun): unknown {
  return {
    exitCode: run.exitCode,
    statuses: texts(run.statuses),
    applicationStatuses: texts(run.applicationStatuses),
    // juju-log batches the lines that come while a call is in flight, so how many calls carry
    // them depends on how fast the tools answer; the lines themselves do not.
    logs: run.logs.flatMap((line) => line.message.split('\n').map((text) => `${line.level} ${text}`)),
    // Calls made while another is in flight (a status write and a config-get, say) race each
    // other across processes: the same calls, in an order the tools' speed decides.
    calls: run.calls
      .filter((call) => call.tool !== 'juju-log')
      .map((call) => JSON.stringify(call))
      .sort(),
  };
}

describe('the webapp charm, both ways', () => {
  it('publishes the same statuses and log lines and makes the same tool calls in process as through dispatch', async () => {
    const folder = await packed();
    const steps: [string, (s: HookToolsSimulator) => Promise<unknown>][] = [
      ['install', async () => undefined],
      ['config-changed', (s) => s.setConfig({ port: 8080 })],
      ['database-relation-joined', (s) => s.setRelation('database:1', { 'postgresql/0': {} })],
      ['database-relation-changed', (s) => s.setRelation('database:1', DATABASE)],
      ['update-status', async () => undefined],
      ['action:restart', async () => undefined],
      ['config-changed', (s) => s.setConfig({})],
    ];
    const outcomes: Record<string, unknown[]> = {};
    try {
      for (const charm of [inProcess, folder]) {
        const simulator = await HookToolsSimulator.create(WORLD);
        const seen: unknown[] = [];
        try {
          for (const [step, before] of steps) {
            await before(simulator);
            const run = step.startsWith('action:')
              ? await simulator.runAction(charm, step.slice('action:'.length))
              : await simulator.runHook(charm, step);
            seen.push({ step, ...(observed(run) as object) });
          }
        } finally {
          await simulator.cleanup();
        }
        outcomes[typeof charm === 'string' ? 'packed' : 'in process'] = seen;
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    expect(outcomes['in process']).to.have.length(steps.length);
    expect(outcomes['in process']).to.deep.equal(outcomes.packed);
  });
});
