import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';

import {
  ActiveStatus,
  BlockedStatus,
  ErrorStatus,
  HookToolError,
  HookToolUnit,
  MaintenanceStatus,
  StatusBus,
  UnknownStatus,
  WaitingStatus,
} from '../../lib/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';

const texts = (values: readonly unknown[]): string[] => values.map(String);

describe("HookToolUnit (against the simulator's executables)", function () {
  this.timeout(60_000);
  let simulator: HookToolsSimulator;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create();
  });
  afterEach(async () => {
    await simulator.cleanup();
  });

  describe('setStatus()', () => {
    it('runs status-set -- <name> <message>, and Juju shows the status', async () => {
      const unit = new HookToolUnit({ env: simulator.env });
      await unit.setStatus(new MaintenanceStatus('Installing packages'));
      expect(await simulator.calls('status-set')).to.deep.equal([
        { tool: 'status-set', args: ['--', 'maintenance', 'Installing packages'], exitCode: 0 },
      ]);
      expect(String(await simulator.status())).to.equal('maintenance: Installing packages');
    });

    it('passes every message as one argument, verbatim, never through a shell', async () => {
      const unit = new HookToolUnit({ env: simulator.env, coalesce: false });
      const messages = [
        '-x starts with a dash',
        '--application',
        '--',
        '$(touch /tmp/pwned) and `id`',
        'a; rm -rf / | cat > /dev/null & echo',
        'line one\nline two',
        'quotes \' and " and \\ backslash',
        'héllo — 日本語 🚀',
        '',
        '*',
      ];
      for (const message of messages) await unit.setStatus(new BlockedStatus(message));
      const calls = await simulator.calls('status-set');
      expect(calls.map((c) => c.args)).to.deep.equal(messages.map((m) => ['--', 'blocked', m]));
      expect(calls.every((c) => c.exitCode === 0)).to.equal(true);
      expect(texts(await simulator.statusHistory())).to.deep.equal(
        messages.map((m) => String(new BlockedStatus(m))),
      );
    });

    it('sets the application status with --application on the leader', async () => {
      await simulator.setLeader(true);
      const unit = new HookToolUnit({ env: simulator.env, application: true });
      await unit.setStatus(new ActiveStatus('3 units ready'));
      expect((await simulator.calls('status-set'))[0]?.args).to.deep.equal([
        '--application',
        '--',
        'active',
        '3 units ready',
      ]);
      expect(texts(await simulator.statusHistory({ application: true }))).to.deep.equal([
        'active: 3 units ready',
      ]);
      expect(await simulator.statusHistory()).to.deep.equal([]);
    });

    it("on a non-leader, application status fails with Juju's exit 1 and ERROR line", async () => {
      const unit = new HookToolUnit({ env: simulator.env, application: true });
      const error = await unit.setStatus(new ActiveStatus('x')).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(HookToolError);
      expect(error).to.include({
        message: 'status-set failed (exit 1): ERROR this unit is not the leader',
        tool: 'status-set',
        failure: 'exit',
        exitCode: 1,
        signal: null,
        stderr: 'ERROR this unit is not the leader\n',
      });
      expect((error as HookToolError).args).to.deep.equal(['--application', '--', 'active', 'x']);
    });

    it('serializes writes in the order they were made', async () => {
      await simulator.setDelay(30);
      const unit = new HookToolUnit({ env: simulator.env });
      await Promise.all([
        unit.setStatus(new MaintenanceStatus('1')),
        unit.setStatus(new MaintenanceStatus('2')),
        unit.setStatus(new WaitingStatus('3')),
      ]);
      expect(texts(await simulator.statusHistory())).to.deep.equal([
        'maintenance: 1',
        'maintenance: 2',
        'waiting: 3',
      ]);
    });

    it('skips a progress update equal to the last status written, unless coalesce is false', async () => {
      const unit = new HookToolUnit({ env: simulator.env });
      await unit.setStatus(new MaintenanceStatus('same'), { final: false });
      await unit.setStatus(new MaintenanceStatus('same'), { final: false });
      await unit.setStatus(new WaitingStatus('same'), { final: false });
      expect(await simulator.calls('status-set')).to.have.length(2);
      const every = new HookToolUnit({ env: simulator.env, coalesce: false });
      await every.setStatus(new WaitingStatus('same'), { final: false });
      await every.setStatus(new WaitingStatus('same'), { final: false });
      expect(await simulator.calls('status-set')).to.have.length(4);
    });

    it('skips against the last status this process wrote there, whichever unit object wrote it', async () => {
      const first = new HookToolUnit({ env: simulator.env });
      const second = new HookToolUnit({ env: simulator.env });
      await first.setStatus(new MaintenanceStatus('Installing'), { final: false });
      await second.setStatus(new MaintenanceStatus('Installing'), { final: false });
      expect(await simulator.calls('status-set')).to.have.length(1);
    });

    it('always writes a final status, even one equal to the last written (defect: another writer changed Juju)', async () => {
      const library = new HookToolUnit({ env: simulator.env });
      const charm = new HookToolUnit({ env: simulator.env });
      await charm.setStatus(new ActiveStatus('Ready'));
      await library.setStatus(new MaintenanceStatus('Rotating keys'));
      await charm.setStatus(new ActiveStatus('Ready'));
      await charm.setStatus(new ActiveStatus('Ready'));
      expect(texts(await simulator.statusHistory())).to.deep.equal([
        'active: Ready',
        'maintenance: Rotating keys',
        'active: Ready',
        'active: Ready',
      ]);
    });

    it("never skips a context's final status after another writer changed what Juju shows", async () => {
      const bus = new StatusBus();
      const unit = new HookToolUnit({ env: simulator.env });
      await bus.context(unit, () => undefined);
      await new HookToolUnit({ env: simulator.env }).setStatus(new BlockedStatus('from elsewhere'));
      await bus.context(unit, () => undefined);
      expect(String(await simulator.status())).to.equal('active: Ready');
    });

    it('writes again after a failed write, even the same status', async () => {
      const unit = new HookToolUnit({ env: simulator.env });
      await simulator.failNext('status-set', { exitCode: 1, stderr: 'ERROR connection is shut down' });
      const status = new MaintenanceStatus('retry me');
      const error = await unit.setStatus(status).catch((e: unknown) => e);
      expect(error)
        .to.be.instanceOf(HookToolError)
        .with.property('message', 'status-set failed (exit 1): ERROR connection is shut down');
      await unit.setStatus(status);
      expect(texts(await simulator.statusHistory())).to.deep.equal(['maintenance: retry me']);
    });

    it('refuses a message too long for one argument before any process starts', async () => {
      const unit = new HookToolUnit({ env: simulator.env });
      const error = await unit.setStatus(new BlockedStatus('é'.repeat(70_000))).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(HookToolError).with.property('failure', 'too-long');
      expect((error as Error).message).to.equal(
        'status-set was not run: one argument is 140000 bytes, more than the 131071 bytes Linux allows in a command-line argument; shorten the status message',
      );
      expect(await simulator.calls()).to.deep.equal([]);
      await unit.setStatus(new BlockedStatus('x'.repeat(131_071)));
      expect((await simulator.status()).message).to.have.length(131_071);
    });

    it('rejects unknown, error and non-statuses with a TypeError, running nothing', async () => {
      const unit = new HookToolUnit({ env: simulator.env });
      for (const bad of [new UnknownStatus(), new ErrorStatus('x'), { name: 'active', message: '' }]) {
        const error = await unit.setStatus(bad as ActiveStatus).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TypeError);
        expect((error as Error).message).to.match(
          /^HookToolUnit.setStatus\(\) status (cannot be|must be a status)/,
        );
      }
      expect(await simulator.calls()).to.deep.equal([]);
    });
  });

  describe('getStatus()', () => {
    it('reads the unit status with status-get --include-data --format=json', async () => {
      const unit = new HookToolUnit({ env: simulator.env });
      await unit.setStatus(new WaitingStatus('Waiting for the database'));
      const status = await unit.getStatus();
      expect(status).to.be.instanceOf(WaitingStatus);
      expect(status.message).to.equal('Waiting for the database');
      expect((await simulator.calls('status-get'))[0]?.args).to.deep.equal([
        '--include-data',
        '--format=json',
      ]);
    });

    it('answers within one hook what the first read found, as Juju caches it; a new hook reads afresh', async () => {
      const unit = new HookToolUnit({ env: simulator.env });
      expect(await unit.getStatus()).to.be.instanceOf(UnknownStatus);
      await unit.setStatus(new WaitingStatus('Waiting for the database'));
      expect(await unit.getStatus()).to.be.instanceOf(UnknownStatus);
      const nextHook = new HookToolUnit({ env: { ...simulator.env, JUJU_CONTEXT_ID: 'next-hook' } });
      expect(String(await nextHook.getStatus())).to.equal('waiting: Waiting for the database');
    });

    it('reads the application status on the leader, and fails on a non-leader', async () => {
      const unit = new HookToolUnit({ env: simulator.env, application: true });
      expect(await unit.getStatus().catch((e: unknown) => e))
        .to.be.instanceOf(HookToolError)
        .with.property('exitCode', 1);
      await simulator.setLeader(true);
      await unit.setStatus(new BlockedStatus('Needs a peer'));
      const status = await unit.getStatus();
      expect(status).to.be.instanceOf(BlockedStatus);
      expect(status.message).to.equal('Needs a peer');
    });

    it("a failing status-get is a HookToolError with Juju's ERROR line", async () => {
      await simulator.failNext('status-get', { exitCode: 1, stderr: 'ERROR permission denied' });
      const unit = new HookToolUnit({ env: simulator.env });
      const error = await unit.getStatus().catch((e: unknown) => e);
      expect(error)
        .to.be.instanceOf(HookToolError)
        .with.property('message', 'status-get failed (exit 1): ERROR permission denied');
    });
  });

  describe('failures', () => {
    it('a missing tool says it is not inside a hook', async () => {
      const unit = new HookToolUnit({ env: { PATH: '/nonexistent' } });
      const error = await unit.setStatus(new ActiveStatus()).catch((e: unknown) => e);
      expect(error)
        .to.be.instanceOf(HookToolError)
        .with.property('message', 'status-set was not found on PATH: is this running inside a Juju hook?');
      expect(error).to.have.property('failure', 'missing');
    });

    it('a tool that is there but not executable says it could not be run', async () => {
      const folder = await mkdtemp(join(tmpdir(), 'not-executable-'));
      try {
        await writeFile(join(folder, 'status-set'), '#!/bin/sh\n', { mode: 0o644 });
        const unit = new HookToolUnit({ env: { PATH: folder } });
        const error = await unit.setStatus(new ActiveStatus()).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(HookToolError).with.property('failure', 'missing');
        expect((error as Error).message).to.match(/^status-set is on PATH but could not be run \(EACCES\): /);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('exit 2 says Juju refused the arguments', async () => {
      await simulator.failNext('status-set', { exitCode: 2, stderr: 'ERROR invalid status "x"' });
      const error = await new HookToolUnit({ env: simulator.env })
        .setStatus(new ActiveStatus())
        .catch((e: unknown) => e);
      expect(error)
        .to.be.instanceOf(HookToolError)
        .with.property('message', 'status-set refused its arguments (exit 2): ERROR invalid status "x"');
    });

    it('a tool killed by a signal says so', async () => {
      await simulator.failNext('status-set', { signal: 'SIGKILL' });
      const error = await new HookToolUnit({ env: simulator.env })
        .setStatus(new ActiveStatus())
        .catch((e: unknown) => e);
      expect(error)
        .to.be.instanceOf(HookToolError)
        .with.property('message', 'status-set was killed by SIGKILL');
      expect(error).to.include({ failure: 'signal', signal: 'SIGKILL', exitCode: null });
    });

    it('a hanging tool is stopped after timeoutMs', async () => {
      await simulator.failNext('status-set', { hang: true });
      const unit = new HookToolUnit({ env: simulator.env, timeoutMs: 500 });
      const error = await unit.setStatus(new ActiveStatus()).catch((e: unknown) => e);
      expect(error)
        .to.be.instanceOf(HookToolError)
        .with.property('message', 'status-set timed out after 500 ms and was stopped');
      expect(error).to.have.property('failure', 'timeout');
      await unit.setStatus(new ActiveStatus('after'));
      expect(String(await simulator.status())).to.equal('active: after');
    });
  });

  describe('inside a context: coalescing (beyond)', () => {
    it('100 maintenance updates and a final status against a 100 ms tool cost at most 3 status-set calls', async () => {
      await simulator.setDelay(100);
      const bus = new StatusBus();
      const unit = new HookToolUnit({ env: simulator.env });
      await bus.context(
        unit,
        () => {
          for (let i = 1; i <= 100; i += 1) bus.add(new MaintenanceStatus(`Step ${String(i)} of 100`));
        },
        { exitStatus: new ActiveStatus('Done') },
      );
      const calls = await simulator.calls('status-set');
      expect(calls.length).to.be.at.most(3);
      expect(calls.at(-1)?.args).to.deep.equal(['--', 'active', 'Done']);
      expect(String(await simulator.status())).to.equal('active: Done');
    });

    it('with coalesce: false, every status is written, in order', async () => {
      const bus = new StatusBus();
      const unit = new HookToolUnit({ env: simulator.env, coalesce: false });
      await bus.context(unit, () => {
        for (let i = 1; i <= 5; i += 1) bus.add(new MaintenanceStatus(`Step ${String(i)}`));
      });
      expect(texts(await simulator.statusHistory())).to.deep.equal([
        'maintenance: Step 1',
        'maintenance: Step 2',
        'maintenance: Step 3',
        'maintenance: Step 4',
        'maintenance: Step 5',
        'active: Ready',
      ]);
    });

    it('a failed maintenance write is an error event; the final status still lands', async () => {
      const bus = new StatusBus();
      const errors = sinon.spy();
      bus.on('error', errors);
      const unit = new HookToolUnit({ env: simulator.env });
      await simulator.failNext('status-set', { exitCode: 1, stderr: 'ERROR connection reset' });
      await bus.context(unit, () => {
        bus.add(new MaintenanceStatus('first'));
      });
      sinon.assert.calledOnce(errors);
      expect(errors.firstCall.args[0]).to.be.instanceOf(HookToolError);
      expect(String(await simulator.status())).to.equal('active: Ready');
    });

    it('a failed final write rejects context() with the HookToolError', async () => {
      const bus = new StatusBus();
      const unit = new HookToolUnit({ env: simulator.env });
      await simulator.failNext('status-set', { exitCode: 1, stderr: 'ERROR too late' });
      const error = await bus.context(unit, () => 'ok').catch((e: unknown) => e);
      expect(error)
        .to.be.instanceOf(HookToolError)
        .with.property('message', 'status-set failed (exit 1): ERROR too late');
    });
  });

  describe('bad options', () => {
    const cases: [string, unknown, RegExp][] = [
      [
        'options that are not an object',
        'app',
        /HookToolUnit options must be a plain object such as \{ application, coalesce, env, timeoutMs \}, got a string/,
      ],
      [
        'a non-boolean application',
        { application: 'yes' },
        /HookToolUnit options option application must be true or false, got a string \("yes"\)/,
      ],
      [
        'a non-boolean coalesce',
        { coalesce: 0 },
        /HookToolUnit options option coalesce must be true or false, got a number \(0\)/,
      ],
      [
        'a negative timeout',
        { timeoutMs: -1 },
        /HookToolUnit options option timeoutMs must be a whole number of milliseconds from 1 to 2147483647, got a number \(-1\)/,
      ],
      [
        'a fractional timeout',
        { timeoutMs: 1.5 },
        /option timeoutMs must be a whole number of milliseconds from 1 to 2147483647, got a number \(1.5\)/,
      ],
      [
        'a timeout beyond what Node timers keep',
        { timeoutMs: 2 ** 31 },
        /option timeoutMs must be a whole number of milliseconds from 1 to 2147483647, got a number \(2147483648\)/,
      ],
      [
        'an env that is not an object',
        { env: 'PATH=/bin' },
        /HookToolUnit options option env must be an object of environment variables/,
      ],
      [
        'an env with a non-string value',
        { env: { PATH: 1 } },
        /HookToolUnit options option env must be an object of environment variables \(names to strings without NUL characters\)/,
      ],
      [
        'an env value holding a NUL',
        { env: { PATH: '/bin\0/usr/bin' } },
        /option env must be an object of environment variables \(names to strings without NUL characters\)/,
      ],
      [
        'a misspelt option',
        { timeout: 5 },
        /HookToolUnit options has an unknown option "timeout": expected application, coalesce, env, timeoutMs/,
      ],
    ];
    for (const [label, options, message] of cases) {
      it(`refuses ${label} with a TypeError`, () => {
        expect(() => new HookToolUnit(options as object)).to.throw(TypeError, message);
      });
    }
  });
});
