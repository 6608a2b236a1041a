// The charm as `charmcraft pack` would ship it: dispatch, the bundle and the metadata, copied
// to an empty folder with no node_modules, and run hook by hook through the hook-tools
// simulator, each hook a new process as under Juju. Each step declares what changed in the
// world and asserts the status the charm means.
import { expect } from 'chai';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BlockedStatus } from 'charms-contextual-status';
import { HookToolsSimulator } from 'charms-contextual-status/testing';

const project = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The files the packed charm holds, from the project (bin/node comes from the node part). */
const PACKED = ['dispatch', 'dist/charm.mjs', 'charmcraft.yaml'];

const texts = (values: readonly unknown[]): string[] => values.map(String);

describe('the webapp charm, as packed', function () {
  this.timeout(120_000);
  let charm: string;
  let simulator: HookToolsSimulator;

  before(async () => {
    charm = await mkdtemp(join(tmpdir(), 'webapp-charm-'));
    for (const file of PACKED) {
      await mkdir(dirname(join(charm, file)), { recursive: true });
      await copyFile(join(project, file), join(charm, file));
    }
    await chmod(join(charm, 'dispatch'), 0o755);
    // The node part's Node: this very one.
    await mkdir(join(charm, 'bin'));
    await symlink(process.execPath, join(charm, 'bin', 'node'));
  });

  after(async () => {
    await rm(charm, { recursive: true, force: true });
  });

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', leader: true });
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  it("holds no node_modules, and an executable entry point where charmcraft's linter looks", async () => {
    expect(await readdir(charm)).to.have.members(['bin', 'charmcraft.yaml', 'dispatch', 'dist']);
    // The linter takes the last word of dispatch's last line, relative to the charm.
    const { readFile, access, constants } = await import('node:fs/promises');
    const lines = (await readFile(join(charm, 'dispatch'), 'utf8')).trim().split('\n');
    const entry = lines.at(-1)?.split(/\s+/).at(-1) ?? '';
    expect(entry).to.equal('dist/charm.mjs');
    await access(join(charm, entry), constants.X_OK);
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
    expect(texts(joined.statuses)).to.deep.equal(['waiting: Waiting for the database to share its endpoint']);
    await simulator.setRelation('database:1', { 'postgresql/0': { endpoint: '10.0.0.7:5432' } });
    const starting = await simulator.runHook(charm, 'database-relation-changed');
    expect(starting.exitCode).to.equal(0);
    expect(texts(starting.statuses).at(-1)).to.equal(
      'waiting: Waiting for the database to accept connections',
    );
    await simulator.setRelation('database:1', {
      'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' },
    });
    const ready = await simulator.runHook(charm, 'database-relation-changed');
    expect(texts(ready.statuses).at(-1)).to.equal('active: Serving on :8080');
  });

  it('skips update-status once reconciled: no status-set', async () => {
    await simulator.setConfig({ port: 8080 });
    await simulator.setRelation('database:1', {
      'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' },
    });
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
