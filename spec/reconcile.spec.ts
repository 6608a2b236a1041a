// reconcile() end to end: each hook a new process started through the charm's dispatch, as
// Juju starts it, against the simulator's hook tools.
import { expect } from 'chai';

import sinon from 'sinon';

import {
  ActiveStatus,
  BlockedStatus,
  MaintenanceStatus,
  ReconcilerError,
  StatusBus,
  WaitingStatus,
  reconcile,
} from '../lib/index.js';
import { HookToolsSimulator } from '../lib/testing/index.js';

const charm = new URL('./support/reconcile-charm', import.meta.url).pathname;
const texts = (values: readonly unknown[]): string[] => values.map(String);

describe('reconcile(): one hook, start to finish', function () {
  this.timeout(60_000);
  let simulator: HookToolsSimulator;
  afterEach(async () => {
    await simulator.cleanup();
  });

  it('runs the reconcile function in a context: progress at once, the final status last', async () => {
    simulator = await HookToolsSimulator.create({ unitName: 'webapp/0' });
    const run = await simulator.runHook(charm, 'config-changed');
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(texts(run.statuses)).to.deep.equal([
      'maintenance: Reconciling on config-changed',
      'active: Serving',
    ]);
    expect(run.logs.map((l) => l.message)).to.include('status context closed with: active: Serving');
  });

  it('on the leader, also publishes the final status as the application status; not elsewhere', async () => {
    simulator = await HookToolsSimulator.create({ leader: true });
    const leader = await simulator.runHook(charm, 'install');
    expect(texts(leader.applicationStatuses)).to.deep.equal(['active: Serving']);
    await simulator.setLeader(false);
    const follower = await simulator.runHook(charm, 'config-changed');
    expect(follower.applicationStatuses).to.deep.equal([]);
    expect(
      follower.calls.filter((c) => c.tool === 'status-set' && c.args.includes('--application')),
    ).to.deep.equal([]);
  });

  it('catches a ReconcilerError: the expected status is published, logged with its cause, and the hook succeeds', async () => {
    simulator = await HookToolsSimulator.create({ config: { mode: 'expected' } });
    const run = await simulator.runHook(charm, 'config-changed');
    expect(run.exitCode).to.equal(0);
    expect(texts(run.statuses).at(-1)).to.equal('waiting: Waiting for the database');
    const warning = run.logs.find((l) => l.level === 'WARNING' && l.message.includes('ended early'));
    expect(warning?.message).to.match(
      /Found expected exception: connection refused\nError: connection refused\n {4}at /,
    );
  });

  it('any other error: publishes errorStatus, logs the stack at ERROR, and fails the hook with exit 1', async () => {
    simulator = await HookToolsSimulator.create({ config: { mode: 'crash' } });
    const run = await simulator.runHook(charm, 'config-changed');
    expect(run.exitCode).to.equal(1);
    expect(texts(run.statuses).at(-1)).to.equal('blocked: Hook failed: see juju debug-log');
    expect(run.logs.find((l) => l.level === 'ERROR')?.message).to.match(
      /config-changed hook failed.*Error: disk full\n {4}at /s,
    );
  });

  it('skips update-status after a successful reconcile (no status-set), a Blocked unit staying Blocked', async () => {
    simulator = await HookToolsSimulator.create({ config: { mode: 'blocked' } });
    const first = await simulator.runHook(charm, 'config-changed');
    expect(texts(first.statuses).at(-1)).to.equal('blocked: Set "port"');
    const quiet = await simulator.runHook(charm, 'update-status');
    expect(quiet.exitCode).to.equal(0);
    expect(quiet.statuses).to.deep.equal([]);
    expect(quiet.calls.map((c) => c.tool)).to.deep.equal(['state-get', 'juju-log']);
    expect(String(await simulator.status())).to.equal('blocked: Set "port"');
  });

  it('runs update-status after a failed reconcile, and every time with updateStatus: "always"', async () => {
    simulator = await HookToolsSimulator.create({ config: { mode: 'crash' } });
    await simulator.runHook(charm, 'config-changed');
    await simulator.setConfig({ mode: 'ok' });
    const retried = await simulator.runHook(charm, 'update-status');
    expect(texts(retried.statuses)).to.deep.equal([
      'maintenance: Reconciling on update-status',
      'active: Serving',
    ]);
    const skipped = await simulator.runHook(charm, 'update-status');
    expect(skipped.statuses).to.deep.equal([]);
  });

  // Juju discards a failed hook's state-set (internal/worker/uniter/runner/context/context.go,
  // Flush: doFlush runs only when the hook returned no error), so the failed hook cannot clear
  // the flag an earlier success set. `juju resolved --no-retry` then skips the hook: it is not
  // run again, and the next hook Juju runs is update-status.
  it('runs update-status after a failed hook that the operator skipped, though Juju kept the old flag', async () => {
    simulator = await HookToolsSimulator.create({ config: { mode: 'ok' } });
    const reconciled = await simulator.runHook(charm, 'config-changed');
    expect(reconciled.exitCode).to.equal(0);
    expect(await simulator.state()).to.deep.equal({ 'charms-contextual-status.reconciled': 'true' });
    await simulator.setConfig({ mode: 'crash' });
    const failed = await simulator.runHook(charm, 'config-changed');
    expect(failed.exitCode).to.equal(1);
    expect(await simulator.state()).to.deep.equal({ 'charms-contextual-status.reconciled': 'true' });
    // juju resolved --no-retry: the failed hook is not run again.
    await simulator.setConfig({ mode: 'ok' });
    const next = await simulator.runHook(charm, 'update-status');
    expect(next.exitCode).to.equal(0);
    expect(texts(next.statuses)).to.deep.equal([
      'maintenance: Reconciling on update-status',
      'active: Serving',
    ]);
    const after = await simulator.runHook(charm, 'update-status');
    expect(after.statuses).to.deep.equal([]);
  });

  it('runs the next update-status when the flag could not be cleared after a ReconcilerError', async () => {
    simulator = await HookToolsSimulator.create({
      config: { mode: 'expected' },
      state: { 'charms-contextual-status.reconciled': 'true' },
    });
    await simulator.failNext('state-set', { stderr: 'ERROR connection is shut down' });
    const expected = await simulator.runHook(charm, 'config-changed');
    expect(expected.exitCode).to.equal(0);
    expect(
      expected.logs.some((l) => l.level === 'ERROR' && l.message.includes('could not record whether')),
    ).to.equal(true);
    const next = await simulator.runHook(charm, 'update-status');
    expect(texts(next.statuses).at(-1)).to.equal('waiting: Waiting for the database');
  });

  it('runs update-status when state-get fails, and logs why: a skip needs a known-good flag', async () => {
    simulator = await HookToolsSimulator.create({ state: { 'charms-contextual-status.reconciled': 'true' } });
    await simulator.failNext('state-get', { stderr: 'ERROR connection is shut down' });
    const run = await simulator.runHook(charm, 'update-status');
    expect(texts(run.statuses)).to.deep.equal([
      'maintenance: Reconciling on update-status',
      'active: Serving',
    ]);
    expect(
      run.logs.some((l) => l.level === 'ERROR' && l.message.includes('connection is shut down')),
    ).to.equal(true);
  });

  it("still publishes the hook's status when state-set and is-leader fail, logging both", async () => {
    simulator = await HookToolsSimulator.create({ leader: true });
    await simulator.failNext('state-set');
    await simulator.failNext('is-leader');
    const run = await simulator.runHook(charm, 'config-changed');
    expect(run.exitCode).to.equal(0);
    expect(texts(run.statuses).at(-1)).to.equal('active: Serving');
    const errors = run.logs.filter((l) => l.level === 'ERROR').map((l) => l.message);
    expect(errors.join('\n')).to.match(/could not record whether this unit is reconciled/);
    expect(errors.join('\n')).to.match(/could not publish the application status/);
  });

  it("runs an action's handler in a context that leaves a Blocked unit Blocked", async () => {
    simulator = await HookToolsSimulator.create({ unitStatus: new BlockedStatus('Add a database') });
    const run = await simulator.runAction(charm, 'restart');
    expect(run).to.deep.include({ exitCode: 0, failed: false });
    expect(run.results).to.deep.equal({ restarted: 'true' });
    expect(texts(run.statuses)).to.deep.equal(['maintenance: Restarting', 'blocked: Add a database']);
    expect(String(await simulator.status())).to.equal('blocked: Add a database');
  });

  it('fails an action with a message that starts with "-", given to action-fail after --', async () => {
    simulator = await HookToolsSimulator.create();
    const run = await simulator.runAction(charm, 'range');
    expect(run).to.deep.include({ failed: true, message: '-1 is out of range' });
    expect(run.calls.find((c) => c.tool === 'action-fail')).to.deep.equal({
      tool: 'action-fail',
      args: ['--', '-1 is out of range'],
      exitCode: 0,
    });
  });

  it('fails an action whose handler throws with action-fail, leaving the status as it found it', async () => {
    simulator = await HookToolsSimulator.create({ unitStatus: new BlockedStatus('Add a database') });
    const run = await simulator.runAction(charm, 'explode');
    expect(run).to.deep.include({ failed: true, message: 'action exploded' });
    expect(run.statuses).to.deep.equal([]);
    expect(String(await simulator.status())).to.equal('blocked: Add a database');
  });

  it('fails an action with no handler, naming the handlers there are', async () => {
    simulator = await HookToolsSimulator.create();
    const run = await simulator.runAction(charm, 'backup');
    expect(run).to.deep.include({
      failed: true,
      message: 'this charm has no handler for the backup action: it handles restart, explode, range',
    });
  });

  it('leaves restricted hooks alone: nothing runs, nothing is written', async () => {
    simulator = await HookToolsSimulator.create();
    for (const hook of ['collect-metrics', 'meter-status-changed']) {
      const run = await simulator.runHook(charm, hook);
      expect(run).to.deep.include({ exitCode: 0, calls: [] });
    }
  });
});

describe('reconcile(), refused', () => {
  it('outside a hook: a TypeError that says so', async () => {
    const caught = await reconcile(() => undefined, { env: {} }).catch((error: unknown) => error);
    expect(caught).to.be.instanceOf(TypeError);
    expect(String(caught)).to.match(
      /reconcile\(\) runs inside a Juju hook or action, and neither JUJU_DISPATCH_PATH nor JUJU_ACTION_NAME is set/,
    );
  });

  it('unknown options, actions that are not functions, an updateStatus it does not know', async () => {
    const env = { JUJU_DISPATCH_PATH: 'hooks/install' };
    const refused = (options: object) =>
      reconcile(() => undefined, { env, ...options }).catch((e: unknown) => String(e));
    expect(await refused({ exitstatus: 1 })).to.match(
      /reconcile\(\) options has an unknown option "exitstatus"/,
    );
    expect(await refused({ actions: { restart: 'restart.sh' } })).to.match(
      /option actions must be an object of action names to handler functions/,
    );
    expect(await refused({ updateStatus: 'never' })).to.equal(
      'TypeError: reconcile() options option updateStatus must be "skip-when-reconciled" or "always", got a string ("never")',
    );
    expect(await reconcile('fn' as unknown as () => void).catch((e: unknown) => String(e))).to.match(
      /needs the charm's reconcile function/,
    );
  });
});

describe('reconcile(), its outcome (in process, with the hook environment given)', function () {
  this.timeout(30_000);
  let simulator: HookToolsSimulator;
  let bus: StatusBus;
  let exitCode: typeof process.exitCode;
  let hooks = 0;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ leader: true });
    bus = new StatusBus();
    exitCode = process.exitCode;
  });
  afterEach(async () => {
    process.exitCode = exitCode;
    await simulator.cleanup();
  });
  const env = (dispatch: string, extra: Record<string, string> = {}): Record<string, string> => {
    hooks += 1;
    return {
      ...simulator.env,
      JUJU_DISPATCH_PATH: dispatch,
      JUJU_CONTEXT_ID: `in-process-${String(hooks)}`,
      ...extra,
    };
  };

  it('a hook: kind "hook", the status published, no error; the unit is then reconciled', async () => {
    const outcome = await reconcile(
      () => {
        bus.add(new MaintenanceStatus('m'));
      },
      {
        bus,
        env: env('hooks/install'),
        application: true,
      },
    );
    expect(outcome).to.deep.equal({ hook: 'install', kind: 'hook', status: new ActiveStatus('Ready') });
    expect(await simulator.state()).to.deep.equal({ 'charms-contextual-status.reconciled': 'true' });
    expect(String(await simulator.status({ application: true }))).to.equal('active: Ready');
    const skipped = await reconcile(() => undefined, { bus, env: env('hooks/update-status') });
    expect(skipped).to.deep.equal({ hook: 'update-status', kind: 'skipped' });
    const always = await reconcile(() => undefined, {
      bus,
      env: env('hooks/update-status'),
      updateStatus: 'always',
    });
    expect(always.kind).to.equal('hook');
  });

  it('a ReconcilerError: in the outcome, exit code untouched, the unit no longer reconciled', async () => {
    const waiting = new WaitingStatus('Waiting for the database');
    const connect = bus.onError(waiting)(() => {
      throw new Error('refused');
    });
    const outcome = await reconcile(() => connect(), { bus, env: env('hooks/config-changed') });
    expect(outcome.status).to.deep.equal(waiting);
    expect(outcome.error).to.be.instanceOf(ReconcilerError);
    expect(process.exitCode).to.equal(exitCode);
    expect(await simulator.state()).to.deep.equal({ 'charms-contextual-status.reconciled': '' });
  });

  it('any other error: in the outcome, errorStatus published, process.exitCode 1', async () => {
    const failure = new Error('disk full');
    const outcome = await reconcile(
      () => {
        throw failure;
      },
      { bus, env: env('hooks/config-changed'), errorStatus: new BlockedStatus('Failed') },
    );
    expect(outcome).to.deep.equal({
      hook: 'config-changed',
      kind: 'hook',
      status: new BlockedStatus('Failed'),
      error: failure,
    });
    expect(process.exitCode).to.equal(1);
  });

  it('an action: kind "action", its handler run, fn not called; JUJU_ACTION_NAME alone names it', async () => {
    const fn = sinon.spy();
    const handler = sinon.spy((_action: string) => {
      bus.add(new MaintenanceStatus('Restarting'));
    });
    await simulator.cleanup();
    simulator = await HookToolsSimulator.create({ unitStatus: new BlockedStatus('Add a database') });
    const id = 'action-in-process';
    const outcome = await reconcile(fn, {
      bus,
      env: { ...simulator.env, JUJU_ACTION_NAME: 'restart', JUJU_CONTEXT_ID: id },
      actions: { restart: handler },
    });
    sinon.assert.notCalled(fn);
    sinon.assert.calledOnceWithExactly(handler, 'restart');
    expect(outcome).to.deep.equal({
      hook: 'restart',
      kind: 'action',
      status: new BlockedStatus('Add a database'),
    });
  });

  it('logs nothing of the bus with log: false, yet still logs its own failures', async () => {
    await simulator.failNext('state-get', { stderr: 'ERROR no state' });
    await reconcile(
      () => {
        bus.add(new MaintenanceStatus('quiet'));
      },
      {
        bus,
        env: env('hooks/update-status'),
        log: false,
      },
    );
    const logs = await simulator.logs();
    expect(logs.map((l) => l.level)).to.deep.equal(['ERROR']);
    expect(logs[0]?.message).to.match(/could not read whether this unit is reconciled/);
  });

  it('takes jujuLog options for its log, and refuses bad ones', async () => {
    await reconcile(
      () => {
        bus.add(new MaintenanceStatus('m'));
      },
      {
        bus,
        env: env('hooks/install'),
        log: { levels: { maintenance: 'DEBUG', open: false, resolved: false } },
      },
    );
    expect(await simulator.logs()).to.deep.equal([{ level: 'DEBUG', message: 'status: maintenance: m' }]);
    const refused = await reconcile(() => undefined, {
      bus,
      env: env('hooks/install'),
      log: { level: 'x' } as object,
    }).catch((e: unknown) => String(e));
    expect(refused).to.equal(
      'TypeError: reconcile() log option has an unknown option "level": expected levels, env, timeoutMs',
    );
  });

  it('refuses a JUJU_DISPATCH_PATH it cannot read', async () => {
    const caught = await reconcile(() => undefined, { env: { JUJU_DISPATCH_PATH: 'nonsense' } }).catch(
      (e: unknown) => String(e),
    );
    expect(caught).to.match(
      /cannot tell the hook from JUJU_DISPATCH_PATH="nonsense": expected hooks\/<name> or actions\/<name>/,
    );
  });
});
