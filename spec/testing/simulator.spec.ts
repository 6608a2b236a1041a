import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';

import { BlockedStatus, MaintenanceStatus } from '../../lib/index.js';
import { HookToolsSimulator, SIMULATED_TOOLS } from '../../lib/testing/index.js';
import { tool } from '../support/tools.js';

describe('HookToolsSimulator', function () {
  this.timeout(60_000);
  let simulator: HookToolsSimulator;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', config: { port: 8080 } });
  });
  afterEach(async () => {
    await simulator.cleanup();
  });

  it('builds the hook environment from scratch as Juju does (HookVars, ubuntuEnv): its tools first on PATH', () => {
    expect(simulator.env.PATH?.split(':')[0]).to.equal(simulator.dir);
    expect(simulator.env).to.include({
      JUJU_UNIT_NAME: 'webapp/0',
      JUJU_MODEL_NAME: 'simulated',
      JUJU_HOOK_NAME: '',
      LANG: 'C.UTF-8',
      CHARM_DIR: simulator.env.JUJU_CHARM_DIR,
    });
    // Juju never sets JUJU_APPLICATION_NAME, and nothing of the test process leaks in.
    expect(simulator.env).not.to.have.property('JUJU_APPLICATION_NAME');
    expect(simulator.env).not.to.have.property('HOME');
    expect(
      Object.keys(simulator.env).every(
        (k) =>
          k === 'PATH' ||
          !Object.hasOwn(process.env, k) ||
          k.startsWith('JUJU_') ||
          [
            'LANG',
            'TERM',
            'CHARM_DIR',
            'CLOUD_API_VERSION',
            'APT_LISTCHANGES_FRONTEND',
            'DEBIAN_FRONTEND',
          ].includes(k),
      ),
    ).to.equal(true);
    expect(SIMULATED_TOOLS).to.include.members(['status-set', 'status-get', 'juju-log', 'is-leader']);
  });

  describe('is-leader, juju-log, config-get and relations', () => {
    it('is-leader prints True/False, or true/false as JSON', async () => {
      expect((await tool(simulator, 'is-leader')).stdout).to.equal('False\n');
      await simulator.setLeader(true);
      expect((await tool(simulator, 'is-leader')).stdout).to.equal('True\n');
      expect((await tool(simulator, 'is-leader', '--format=json')).stdout).to.equal('true\n');
    });

    it('juju-log records level and message; no message is exit 2', async () => {
      await tool(simulator, 'juju-log', '--log-level', 'WARNING', '--', '-dash first');
      await tool(simulator, 'juju-log', '-l', 'debug', 'two', 'words');
      await tool(simulator, 'juju-log', 'plain');
      expect(await simulator.logs()).to.deep.equal([
        { level: 'WARNING', message: '-dash first' },
        { level: 'DEBUG', message: 'two words' },
        { level: 'INFO', message: 'plain' },
      ]);
      expect(await tool(simulator, 'juju-log')).to.deep.equal({
        code: 2,
        stdout: '',
        stderr: 'ERROR no message specified\n',
      });
    });

    it('config-get, relation-ids and relation-get serve what the spec set', async () => {
      expect(JSON.parse((await tool(simulator, 'config-get', '--format=json')).stdout)).to.deep.equal({
        port: 8080,
      });
      expect((await tool(simulator, 'config-get', 'port')).stdout).to.equal('8080\n');
      expect((await tool(simulator, 'relation-ids', 'database', '--format=json')).stdout).to.equal('[]\n');
      await simulator.setRelation('database:7', { 'postgresql/0': { endpoint: 'db:5432' } });
      expect(
        JSON.parse((await tool(simulator, 'relation-ids', 'database', '--format=json')).stdout),
      ).to.deep.equal(['database:7']);
      expect(
        JSON.parse(
          (await tool(simulator, 'relation-get', '-r', 'database:7', '--format=json', '-', 'postgresql/0'))
            .stdout,
        ),
      ).to.deep.equal({ endpoint: 'db:5432' });
      await simulator.removeRelation('database:7');
      expect((await tool(simulator, 'relation-ids', 'database', '--format=json')).stdout).to.equal('[]\n');
    });
  });

  describe('records', () => {
    it('records every call with its arguments and exit code, failures included', async () => {
      await tool(simulator, 'status-set', 'active');
      await tool(simulator, 'status-set', 'bogus');
      expect(await simulator.calls()).to.deep.equal([
        { tool: 'status-set', args: ['active'], exitCode: 0 },
        { tool: 'status-set', args: ['bogus'], exitCode: 2 },
      ]);
    });

    it('records every call of tools invoked concurrently, none lost', async () => {
      const count = 24;
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          tool(simulator, 'status-set', 'maintenance', `step ${String(i)}`),
        ),
      );
      const messages = (await simulator.statusHistory()).map((s) => s.message);
      expect(messages).to.have.length(count);
      expect([...messages].sort()).to.deep.equal(
        Array.from({ length: count }, (_, i) => `step ${String(i)}`).sort(),
      );
    });

    it('statusHistory() gives status values, oldest first', async () => {
      await tool(simulator, 'status-set', 'maintenance', 'one');
      await tool(simulator, 'status-set', 'blocked', 'two');
      const history = await simulator.statusHistory();
      expect(history[0]).to.be.instanceOf(MaintenanceStatus);
      expect(history[1]).to.be.instanceOf(BlockedStatus);
      expect(history.map(String)).to.deep.equal(['maintenance: one', 'blocked: two']);
    });
  });

  describe('switches', () => {
    it('failNext() fails the next call of that tool only, with the exit code and stderr given', async () => {
      await simulator.failNext('status-set', { exitCode: 1, stderr: 'ERROR cannot reach the controller' });
      expect(await tool(simulator, 'status-get')).to.deep.include({ code: 0 });
      expect(await tool(simulator, 'status-set', 'active')).to.deep.equal({
        code: 1,
        stdout: '',
        stderr: 'ERROR cannot reach the controller\n',
      });
      expect(await tool(simulator, 'status-set', 'active')).to.deep.include({ code: 0 });
    });

    it('setDelay() makes every call take that long', async () => {
      await simulator.setDelay(150);
      const start = process.hrtime.bigint();
      await tool(simulator, 'is-leader');
      expect(Number(process.hrtime.bigint() - start) / 1e6).to.be.at.least(150);
    });

    it('refuses, in create(), values JSON cannot hold, with a TypeError, and leaves no folder behind', async () => {
      const folders = async (): Promise<string[]> =>
        (await readdir(tmpdir())).filter((name) => name.startsWith('juju-hook-tools-'));
      const before = await folders();
      const reason = await HookToolsSimulator.create({ config: { big: 10n } }).catch((e: unknown) => e);
      expect(reason).to.be.instanceOf(TypeError);
      expect(String(reason)).to.match(/config must hold only what JSON can/);
      expect(await folders()).to.have.members(before);
    });

    it('refuses bad switch values with a TypeError', async () => {
      const reasons = await Promise.all([
        simulator.setLeader('yes' as unknown as boolean).catch((e: unknown) => e),
        simulator.setDelay(-5).catch((e: unknown) => e),
        simulator.failNext('rm').catch((e: unknown) => e),
        simulator.failNext('status-set', { exitCode: 0 }).catch((e: unknown) => e),
        simulator.setRelation('database').catch((e: unknown) => e),
        HookToolsSimulator.create({ unitName: 'no-number' }).catch((e: unknown) => e),
      ]);
      for (const reason of reasons) expect(reason).to.be.instanceOf(TypeError);
      expect(String(reasons[0])).to.equal('TypeError: setLeader() takes true or false, got a string ("yes")');
      expect(String(reasons[5])).to.equal(
        'TypeError: simulator options option unitName must be a unit name such as "app/0", got a string ("no-number")',
      );
    });
  });
});

describe("HookToolsSimulator, the charm author's harness", function () {
  this.timeout(60_000);
  const charm = new URL('../support/shell-charm', import.meta.url).pathname;
  let simulator: HookToolsSimulator;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({
      unitName: 'webapp/0',
      relations: [{ endpoint: 'database', id: 3, remoteUnits: { 'postgresql/0': {} } }],
      actionParams: { name: 'default' },
    });
  });
  afterEach(async () => {
    await simulator.cleanup();
  });

  it('runHook() runs dispatch as Juju does and resolves to what that hook alone did', async () => {
    const first = await simulator.runHook(charm, 'install');
    expect(first).to.deep.include({ exitCode: 0, stdout: 'out install\n', stderr: 'err install\n' });
    expect(first.statuses.map(String)).to.deep.equal([
      'maintenance: running install',
      'active: after install',
    ]);
    // Juju deploys a copy of the charm per unit: the unit's own folder, linked to the charm's.
    const unitDir = simulator.env.JUJU_CHARM_DIR;
    expect(unitDir).not.to.equal(charm);
    expect(realpathSync(join(unitDir ?? '', 'dispatch'))).to.equal(join(charm, 'dispatch'));
    expect(first.logs).to.deep.equal([{ level: 'INFO', message: `hook install in ${unitDir} remote=none` }]);
    const second = await simulator.runHook(charm, 'config-changed');
    expect(second.statuses.map(String)).to.deep.equal([
      'maintenance: running config-changed',
      'active: after config-changed',
    ]);
    expect(second.calls.map((c) => c.tool)).to.deep.equal([
      'status-set',
      'juju-log',
      'state-set',
      'status-set',
    ]);
    expect(await simulator.state()).to.deep.equal({ 'last-hook': 'config-changed' });
  });

  // juju/juju internal/worker/uniter/runner/context/context.go, Flush: doFlush (which writes
  // the unit state) runs only when the hook returned no error.
  it('runHook() keeps the unit state and relation settings a hook set only when it exits 0, as Juju commits a hook (Flush)', async () => {
    const ok = await simulator.runHook(charm, 'install');
    expect(ok.exitCode).to.equal(0);
    expect(await simulator.state()).to.deep.equal({ 'last-hook': 'install' });
    const failed = await simulator.runHook(charm, 'config-changed', { env: { FAIL_AFTER_STATE_SET: '1' } });
    expect(failed.exitCode).to.equal(1);
    expect(failed.calls.map((c) => `${c.tool} ${String(c.exitCode)}`)).to.include('state-set 0');
    expect(await simulator.state()).to.deep.equal({ 'last-hook': 'install' });
    const seen = async (): Promise<string> =>
      (await tool(simulator, 'relation-get', '-r', 'database:3', 'seen', 'webapp/0')).stdout;
    await simulator.runHook(charm, 'database-relation-joined');
    expect(await seen()).to.equal('database-relation-joined\n');
    const broken = await simulator.runHook(charm, 'database-relation-changed', {
      env: { FAIL_AFTER_STATE_SET: '1' },
    });
    expect(broken.calls.map((c) => `${c.tool} ${String(c.exitCode)}`)).to.include('relation-set 0');
    expect(broken.exitCode).to.equal(1);
    expect(await seen()).to.equal('database-relation-joined\n');
    expect(await simulator.state()).to.deep.equal({ 'last-hook': 'database-relation-joined' });
    expect(String(await simulator.status())).to.equal('maintenance: running database-relation-changed');
  });

  it("shows Juju's own statuses around silent hooks (runhook.go beforeHook, afterHook)", async () => {
    const silent = { env: { SILENT: '1' } };
    const shown = async (hook: string): Promise<[string, string]> => {
      const run = await simulator.runHook(charm, hook, silent);
      const during = JSON.parse(run.stdout) as { status: string; message: string };
      return [`${during.status}: ${during.message}`, String(await simulator.status())];
    };
    // Installing until start ends, then unknown, when the charm never set a status.
    expect(await shown('install')).to.deep.equal([
      'maintenance: installing charm software',
      'maintenance: installing charm software',
    ]);
    expect((await shown('config-changed'))[1]).to.equal('maintenance: installing charm software');
    expect(await shown('start')).to.deep.equal(['maintenance: installing charm software', 'unknown']);
    expect(await shown('stop')).to.deep.equal(['maintenance: stopping charm software', 'maintenance']);
    // A unit whose charm set a status keeps it through install and start.
    const set = await HookToolsSimulator.create({ unitStatus: new BlockedStatus('Add a database') });
    try {
      await set.runHook(charm, 'install', silent);
      await set.runHook(charm, 'start', silent);
      expect(String(await set.status())).to.equal('blocked: Add a database');
    } finally {
      await set.cleanup();
    }
  });

  it('runAction() fails an action that exits non-zero with "exit status N", discarding its state (finalizeAction, Flush)', async () => {
    const run = await simulator.runAction(charm, 'backup', {}, { env: { ACTION_EXIT: '3' } });
    expect(run).to.deep.include({ exitCode: 3, failed: true, message: 'exit status 3' });
    expect(run.results).to.deep.equal({ partial: 'yes' });
    expect(await simulator.state()).to.not.have.property('in-action');
  });

  it('runHook() sets the relation variables for a relation hook, defaulting to its first remote unit', async () => {
    const run = await simulator.runHook(charm, 'database-relation-changed');
    expect(run.logs[0]?.message).to.equal(
      `database:3: hook database-relation-changed in ${simulator.env.JUJU_CHARM_DIR} remote=postgresql/0`,
    );
    const chosen = await simulator.runHook(charm, 'database-relation-joined', {
      relation: { id: 3, remoteUnit: 'postgresql/1' },
    });
    expect(chosen.logs[0]?.message).to.match(/remote=postgresql\/1$/);
    const caught = await simulator
      .runHook(charm, 'install', { relation: { id: 3 } })
      .catch((e: unknown) => e);
    expect(String(caught)).to.match(/relation is for relation hooks/);
  });

  it('runAction() gives the action its parameters and resolves to its results and failure', async () => {
    const ok = await simulator.runAction(charm, 'restart', { name: 'now' });
    expect(ok).to.deep.include({ exitCode: 0, failed: false, message: undefined });
    expect(ok.results).to.deep.equal({ result: { hook: 'restart', param: 'now' } });
    const defaults = await simulator.runAction(charm, 'restart');
    expect(defaults.results).to.deep.equal({ result: { hook: 'restart', param: 'default' } });
    const failed = await simulator.runAction(charm, 'restart', { fail: true });
    expect(failed).to.deep.include({ failed: true, message: 'asked to fail' });
  });

  it("addTool() adds a tool with a canned answer, or an executable of the author's, each call recorded", async () => {
    await simulator.addTool('open-port', { stdout: 'opened\n' });
    expect(await tool(simulator, 'open-port', '8080/tcp')).to.deep.equal({
      code: 0,
      stdout: 'opened\n',
      stderr: '',
    });
    const script = join(simulator.dir, '..', 'secret.sh');
    await writeFile(script, '#!/bin/sh\necho "secret for $1"\nexit 3\n');
    await chmod(script, 0o755);
    await simulator.addTool('secret-get', script);
    expect(await tool(simulator, 'secret-get', 'db')).to.deep.equal({
      code: 3,
      stdout: 'secret for db\n',
      stderr: '',
    });
    expect(await simulator.calls('secret-get')).to.deep.equal([
      { tool: 'secret-get', args: ['db'], exitCode: 3 },
    ]);
    expect(await simulator.addTool('Bad Name', {}).catch((e: unknown) => String(e))).to.match(
      /addTool\(\) takes a tool name/,
    );
  });

  it('a tool told to hang ends with cleanup(), saying so, leaving no orphan process', async () => {
    await simulator.failNext('status-get', { hang: true });
    const child = spawn('status-get', [], { env: simulator.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await new Promise((done) => setTimeout(done, 300));
    expect(child.exitCode).to.equal(null);
    const exited = new Promise((done) => child.on('exit', done));
    await simulator.cleanup();
    await exited;
    expect(child.exitCode).to.equal(1);
    expect(stderr).to.equal('ERROR status-get: its hook tools simulator ended before it answered\n');
  });
});
