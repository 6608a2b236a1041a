// tools/status.ts: status-set and status-get (jujuc status-set.go, status-get.go).
import { expect } from 'chai';
import { execFile } from 'node:child_process';

import { TOOL_WORLD, tool, simulatorPerTest } from '../../support/tools.js';

describe('simulated tools: status, faithful to Juju', function () {
  this.timeout(60_000);
  const simulator = simulatorPerTest(TOOL_WORLD);

  it('status-get: {"status": …} in json and yaml without --include-data; the bare word only in smart', async () => {
    await tool(simulator(), 'status-set', 'waiting', 'db');
    const next = { ...simulator().env, JUJU_CONTEXT_ID: 'another-hook' };
    const run = (...args: string[]) =>
      new Promise<string>((done) => {
        execFile('status-get', args, { env: next, encoding: 'utf8' }, (_e, stdout) => {
          done(stdout);
        });
      });
    expect(await run('--format=json')).to.equal('{"status":"waiting"}\n');
    expect(await run('--format=yaml')).to.equal('status: waiting\n');
    expect(await run('--format=yaml', '--include-data')).to.equal(
      'message: db\nstatus: waiting\nstatus-data: {}\n',
    );
    expect(await run()).to.equal('waiting\n');
    await simulator().setLeader(true);
    expect(JSON.parse(await run('--application', '--format=json'))).to.deep.equal({
      'application-status': { status: 'waiting', units: { 'webapp/0': { status: 'waiting' } } },
    });
  });

  it('status-get of the unit answers within one hook what the first read found, even after status-set', async () => {
    expect((await tool(simulator(), 'status-get')).stdout).to.equal('unknown\n');
    await tool(simulator(), 'status-set', 'active', 'Ready');
    expect((await tool(simulator(), 'status-get')).stdout).to.equal('unknown\n');
  });

  it('starts a unit with no status: unknown, as Juju shows a unit nothing has set', async () => {
    const out = await new Promise<string>((done) => {
      execFile(
        'status-get',
        ['--include-data', '--format=json'],
        { env: simulator().env, encoding: 'utf8' },
        (_e, o) => {
          done(o);
        },
      );
    });
    expect(JSON.parse(out)).to.deep.include({ status: 'unknown', message: '' });
  });
});

describe('simulated tools: status-set and status-get', function () {
  this.timeout(60_000);
  const simulator = simulatorPerTest({ unitName: 'webapp/0', config: { port: 8080 } });

  describe('status-set', () => {
    it('takes GNU-style flags anywhere before --', async () => {
      await simulator().setLeader(true);
      expect(await tool(simulator(), 'status-set', 'active', '--application', 'Ready')).to.deep.include({
        code: 0,
      });
      expect((await simulator().status({ application: true })).message).to.equal('Ready');
      expect(await tool(simulator(), 'status-set', '--', 'blocked', '--application')).to.deep.include({
        code: 0,
      });
      expect(String(await simulator().status())).to.equal('blocked: --application');
    });

    it('refuses an undefined flag with exit 2', async () => {
      expect(await tool(simulator(), 'status-set', 'maintenance', '-x starts with a dash')).to.deep.equal({
        code: 2,
        stdout: '',
        stderr: 'ERROR flag provided but not defined: -x\n',
      });
      expect(await simulator().statusHistory()).to.deep.equal([]);
    });

    it('refuses a status it cannot set with exit 2, listing the ones it can', async () => {
      expect(await tool(simulator(), 'status-set', 'error', 'x')).to.deep.equal({
        code: 2,
        stdout: '',
        stderr: 'ERROR invalid status "error", expected one of [maintenance blocked waiting active]\n',
      });
    });

    it('refuses extra and missing arguments with exit 2', async () => {
      expect((await tool(simulator(), 'status-set', 'active', 'a', 'b')).stderr).to.equal(
        'ERROR unrecognized args: ["b"]\n',
      );
      expect((await tool(simulator(), 'status-set')).code).to.equal(2);
    });

    it('refuses --application on a non-leader with exit 1', async () => {
      expect(await tool(simulator(), 'status-set', '--application', 'active')).to.deep.equal({
        code: 1,
        stdout: '',
        stderr: 'ERROR this unit is not the leader\n',
      });
    });
  });

  describe('status-get', () => {
    it('prints the unit shape, and the application shape with --application', async () => {
      await tool(simulator(), 'status-set', 'waiting', 'db');
      expect(
        JSON.parse((await tool(simulator(), 'status-get', '--include-data', '--format=json')).stdout),
      ).to.deep.equal({
        message: 'db',
        status: 'waiting',
        'status-data': {},
      });
      expect((await tool(simulator(), 'status-get', '--format', 'json')).stdout).to.equal(
        '{"status":"waiting"}\n',
      );
      expect((await tool(simulator(), 'status-get')).stdout).to.equal('waiting\n');
      await simulator().setLeader(true);
      const app = JSON.parse(
        (await tool(simulator(), 'status-get', '--application', '--include-data', '--format=json')).stdout,
      ) as unknown;
      // Until the leader sets one, the application shows what its units show, as Juju derives it.
      expect(app).to.deep.equal({
        'application-status': {
          message: 'db',
          status: 'waiting',
          'status-data': {},
          units: { 'webapp/0': { message: 'db', status: 'waiting', 'status-data': {} } },
        },
      });
    });

    it('refuses a format it does not know', async () => {
      expect(await tool(simulator(), 'status-get', '--format=xml')).to.deep.include({ code: 2 });
    });
  });
});
