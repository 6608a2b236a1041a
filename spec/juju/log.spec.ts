import { expect } from 'chai';
import sinon from 'sinon';

import { BlockedStatus, MaintenanceStatus, MemoryUnit, StatusBus, jujuLog } from '../../lib/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';
import { charm } from '../support/reconcile-charm/charm.js';

describe("jujuLog (against the simulator's juju-log)", function () {
  this.timeout(60_000);
  let simulator: HookToolsSimulator;
  let bus: StatusBus;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create();
    bus = new StatusBus();
    bus.on('warning', () => undefined);
  });
  afterEach(async () => {
    sinon.restore();
    await simulator.cleanup();
  });

  it('forwards bus events with their levels, in order', async () => {
    const detach = jujuLog(bus, { env: simulator.env });
    bus.add(new MaintenanceStatus('outside'));
    await bus.context(new MemoryUnit(), () => {
      bus.add(new MaintenanceStatus('Installing'));
      bus.add(new BlockedStatus('Add a database'));
    });
    await detach();
    expect(await simulator.logs()).to.deep.equal([
      { level: 'WARNING', message: 'could not add status outside of a status context: maintenance: outside' },
      // Lines that came while a call was in flight, joined into the next call of their level.
      {
        level: 'INFO',
        message: 'status: maintenance: outside\nstatus context opened\nstatus: maintenance: Installing',
      },
      { level: 'WARNING', message: 'status: blocked: Add a database' },
      { level: 'INFO', message: 'status context closed with: blocked: Add a database' },
    ]);
    expect((await simulator.calls('juju-log'))[0]?.args.slice(0, 3)).to.deep.equal([
      '--log-level',
      'WARNING',
      '--',
    ]);
  });

  it('logs error events as ERROR', async () => {
    const detach = jujuLog(bus, { env: simulator.env });
    const failing = {
      setStatus: (): void => {
        throw new Error('disk full');
      },
    };
    await bus
      .context(failing, () => {
        bus.add(new MaintenanceStatus('m'));
      })
      .catch(() => undefined);
    await detach();
    expect(await simulator.logs()).to.deep.include({ level: 'ERROR', message: 'Error: disk full' });
  });

  it('takes levels per event, and false to leave one out', async () => {
    const detach = jujuLog(bus, {
      env: simulator.env,
      levels: { maintenance: 'DEBUG', open: false, resolved: false },
    });
    await bus.context(new MemoryUnit(), () => {
      bus.add(new MaintenanceStatus('quiet'));
    });
    await detach();
    expect(await simulator.logs()).to.deep.equal([{ level: 'DEBUG', message: 'status: maintenance: quiet' }]);
  });

  it('detaches: nothing is logged after', async () => {
    const detach = jujuLog(bus, { env: simulator.env });
    await detach();
    bus.add(new BlockedStatus('not logged'));
    await detach();
    expect(await simulator.calls()).to.deep.equal([]);
  });

  it('splits a line longer than one argument may be, losing nothing', async () => {
    const detach = jujuLog(bus, { env: simulator.env, levels: { warning: false } });
    const long = 'ü'.repeat(100_000);
    bus.add(new MaintenanceStatus(long));
    await detach();
    const logs = await simulator.logs();
    expect(logs.length).to.be.greaterThan(1);
    const joined = logs.map((l) => l.message).join('');
    expect(joined === `status: maintenance: ${long}`, 'the pieces join back into the line').to.equal(true);
  });

  it('never throws into the charm when juju-log fails: the line goes to stderr', async () => {
    const stderr = sinon.stub(console, 'error');
    const detach = jujuLog(bus, { env: { PATH: '/nonexistent' }, levels: { warning: false } });
    expect(() => {
      bus.add(new BlockedStatus('b'));
    }).not.to.throw();
    await detach();
    sinon.assert.calledOnce(stderr);
    expect(stderr.firstCall.args[0]).to.equal(
      'charms-contextual-status: juju-log failed (juju-log was not found on PATH: is this running inside a Juju hook?); the lines were: WARNING status: blocked: b',
    );
  });

  it('refuses what is not a bus, and bad options, with a TypeError', () => {
    expect(() => jujuLog({} as StatusBus)).to.throw(
      TypeError,
      'jujuLog() needs a StatusBus (such as status.bus), got a plain object',
    );
    expect(() => jujuLog(bus, { levels: { blocked: 'LOUD' as 'INFO' } })).to.throw(
      TypeError,
      'jujuLog() level for blocked must be TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL or false, got a string ("LOUD")',
    );
    expect(() => jujuLog(bus, { levels: { nope: 'INFO' } as object })).to.throw(
      TypeError,
      /unknown event "nope"/,
    );
    expect(() => jujuLog(bus, { timeoutMs: 0 })).to.throw(
      TypeError,
      /jujuLog\(\) options option timeoutMs must be a whole number of milliseconds/,
    );
    expect(() => jujuLog(bus, null as unknown as object)).to.throw(
      TypeError,
      /jujuLog\(\) options must be a plain object such as \{ levels, env, timeoutMs \}, got null/,
    );
  });

  it('also writes each line to stderr under juju debug-hooks or debug-code (JUJU_DEBUG, JUJU_DEBUG_AT), both ways', async function () {
    this.timeout(30_000);
    const folder = new URL('../support/reconcile-charm', import.meta.url).pathname;
    const simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', leader: true });
    try {
      for (const target of [charm, folder]) {
        const quiet = await simulator.runHook(target, 'config-changed');
        expect(quiet.stderr, typeof target === 'string' ? target : 'in process').to.not.include(
          'status context opened',
        );
        for (const debug of [{ JUJU_DEBUG: '1' }, { JUJU_DEBUG_AT: 'all' }]) {
          const run = await simulator.runHook(target, 'config-changed', { env: debug });
          expect(run.exitCode, run.stderr).to.equal(0);
          expect(run.stderr, JSON.stringify(debug)).to.include('INFO status context opened');
          expect(run.logs.map((l) => l.message)).to.include('status context opened');
        }
      }
    } finally {
      await simulator.cleanup();
    }
  });
});
