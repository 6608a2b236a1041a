import { expect } from 'chai';
import { execFile } from 'node:child_process';

import { BlockedStatus, MaintenanceStatus } from '../../lib/index.js';
import { HookToolsSimulator, SIMULATED_TOOLS } from '../../lib/testing/index.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool by name, found on the simulator's PATH as a hook would find it. */
function tool(simulator: HookToolsSimulator, name: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(name, args, { env: simulator.env, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe('HookToolsSimulator', function () {
  this.timeout(60_000);
  let simulator: HookToolsSimulator;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', config: { port: 8080 } });
  });
  afterEach(async () => {
    await simulator.cleanup();
  });

  it('puts its tools first on PATH, with the usual hook variables', () => {
    expect(simulator.env.PATH?.split(':')[0]).to.equal(simulator.dir);
    expect(simulator.env).to.include({
      JUJU_UNIT_NAME: 'webapp/0',
      JUJU_APPLICATION_NAME: 'webapp',
      JUJU_MODEL_NAME: 'simulated',
    });
    expect(SIMULATED_TOOLS).to.include.members(['status-set', 'status-get', 'juju-log', 'is-leader']);
  });

  describe('status-set', () => {
    it('takes GNU-style flags anywhere before --', async () => {
      await simulator.setLeader(true);
      expect(await tool(simulator, 'status-set', 'active', '--application', 'Ready')).to.deep.include({
        code: 0,
      });
      expect((await simulator.status({ application: true })).message).to.equal('Ready');
      expect(await tool(simulator, 'status-set', '--', 'blocked', '--application')).to.deep.include({
        code: 0,
      });
      expect(String(await simulator.status())).to.equal('blocked: --application');
    });

    it('refuses an undefined flag with exit 2', async () => {
      expect(await tool(simulator, 'status-set', 'maintenance', '-x starts with a dash')).to.deep.equal({
        code: 2,
        stdout: '',
        stderr: 'ERROR flag provided but not defined: -x starts with a dash\n',
      });
      expect(await simulator.statusHistory()).to.deep.equal([]);
    });

    it('refuses a status it cannot set with exit 2, listing the ones it can', async () => {
      expect(await tool(simulator, 'status-set', 'error', 'x')).to.deep.equal({
        code: 2,
        stdout: '',
        stderr: 'ERROR invalid status "error", expected one of [maintenance blocked waiting active]\n',
      });
    });

    it('refuses extra and missing arguments with exit 2', async () => {
      expect((await tool(simulator, 'status-set', 'active', 'a', 'b')).stderr).to.equal(
        'ERROR unrecognized args: ["b"]\n',
      );
      expect((await tool(simulator, 'status-set')).code).to.equal(2);
    });

    it('refuses --application on a non-leader with exit 1', async () => {
      expect(await tool(simulator, 'status-set', '--application', 'active')).to.deep.equal({
        code: 1,
        stdout: '',
        stderr: 'ERROR this unit is not the leader\n',
      });
    });
  });

  describe('status-get', () => {
    it('prints the unit shape, and the application shape with --application', async () => {
      await tool(simulator, 'status-set', 'waiting', 'db');
      expect(
        JSON.parse((await tool(simulator, 'status-get', '--include-data', '--format=json')).stdout),
      ).to.deep.equal({
        message: 'db',
        status: 'waiting',
        'status-data': {},
      });
      expect((await tool(simulator, 'status-get', '--format', 'json')).stdout).to.equal('"waiting"\n');
      expect((await tool(simulator, 'status-get')).stdout).to.equal('waiting\n');
      await simulator.setLeader(true);
      const app = JSON.parse(
        (await tool(simulator, 'status-get', '--application', '--include-data', '--format=json')).stdout,
      ) as unknown;
      expect(app).to.deep.equal({
        'application-status': {
          message: '',
          status: 'unknown',
          'status-data': {},
          units: { 'webapp/0': { message: 'db', status: 'waiting', 'status-data': {} } },
        },
      });
    });

    it('refuses a format it does not know', async () => {
      expect(await tool(simulator, 'status-get', '--format=xml')).to.deep.include({ code: 2 });
    });
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
      await simulator.setRelation('database:7', { postgresql: { endpoint: 'db:5432' } });
      expect(
        JSON.parse((await tool(simulator, 'relation-ids', 'database', '--format=json')).stdout),
      ).to.deep.equal(['database:7']);
      expect(
        JSON.parse(
          (await tool(simulator, 'relation-get', '-r', 'database:7', '--format=json', '-', 'postgresql'))
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

    it('refuses bad switch values with a TypeError', async () => {
      const reasons = await Promise.all([
        simulator.setLeader('yes' as unknown as boolean).catch((e: unknown) => e),
        simulator.setDelay(-5).catch((e: unknown) => e),
        simulator.failNext('rm' as 'status-set').catch((e: unknown) => e),
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
