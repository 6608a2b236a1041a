// charms-contextual-status/hook-tools as a whole, against the simulator: a charm's reads and
// writes of configuration, relations and unit state in a hook run in the test's process
// (answered by the model), and with the simulator's environment (its tool executables), the
// same answers; bad input refused before any tool runs. Each family has its own spec beside.
import { expect } from 'chai';

import * as tools from '../../lib/hook-tools/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';

const world = {
  leader: true,
  config: { port: 8080, name: 'web', unset: null },
  relations: [
    {
      endpoint: 'database',
      id: 7,
      remoteUnits: { 'postgresql/0': { host: '10.0.0.7' } },
      remoteAppData: { version: '16' },
    },
  ],
  state: { installed: 'true' },
};

/** Every read and write, as a charm makes them. */
async function exercise(env?: Record<string, string>): Promise<unknown> {
  const options = env === undefined ? undefined : { env };
  await tools.relationSet('database:7', { database: 'webapp' }, options);
  await tools.relationSet(7, { token: 's3cret' }, { ...options, app: true });
  await tools.stateSet({ 'last-port': '8080', empty: '', doomed: 'x' }, options);
  await tools.stateDelete('doomed', options);
  return {
    config: await tools.configGet(options),
    port: await tools.configGet('port', options),
    unset: await tools.configGet('unset', options),
    leader: await tools.isLeader(options),
    ids: await tools.relationIds('database', options),
    none: await tools.relationIds('cache', options),
    units: await tools.relationList('database:7', options),
    remote: await tools.relationGet(7, 'postgresql/0', options),
    remoteApp: await tools.relationGet('database:7', 'postgresql', { ...options, app: true }),
    mine: await tools.relationGet(7, 'app/0', options),
    ours: await tools.relationGet(7, 'app', { ...options, app: true }),
    state: await tools.stateGet(options),
    installed: await tools.stateGet('installed', options),
    missing: await tools.stateGet('missing', options),
  };
}

const EXPECTED = {
  config: { port: 8080, name: 'web' },
  port: 8080,
  unset: undefined,
  leader: true,
  ids: ['database:7'],
  none: [],
  units: ['postgresql/0'],
  remote: { host: '10.0.0.7' },
  remoteApp: { version: '16' },
  mine: { database: 'webapp' },
  ours: { token: 's3cret' },
  state: { installed: 'true', 'last-port': '8080', empty: '' },
  installed: 'true',
  missing: undefined,
};

describe('hook-tools', function () {
  this.timeout(30_000);
  let simulator: HookToolsSimulator;

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create(world);
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  it('read and write the world in a hook run in the test process', async () => {
    let seen: unknown;
    const run = await simulator.runHook(
      { reconcile: async () => (seen = await exercise()) },
      'config-changed',
    );
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(seen).to.deep.equal(EXPECTED);
    expect(await simulator.state()).to.deep.equal({
      ...EXPECTED.state,
      'charms-contextual-status.reconciled': 'true',
    });
  });

  it('answer the same through the tool executables', async () => {
    expect(await exercise({ ...simulator.env })).to.deep.equal(EXPECTED);
  });

  it('refuse bad input with a TypeError naming what is accepted, before any tool runs', async () => {
    const reasons = await Promise.all([
      tools.relationList('database').catch((e: unknown) => e),
      tools.relationGet(-1, 'postgresql/0').catch((e: unknown) => e),
      tools.relationSet(7, { ' padded': 'x' }).catch((e: unknown) => e),
      tools.relationSet(7, { 'a=b': 'x' }).catch((e: unknown) => e),
      tools.stateSet({ key: 7 as unknown as string }).catch((e: unknown) => e),
      tools.stateSet([] as never).catch((e: unknown) => e),
      tools.configGet(7 as unknown as string).catch((e: unknown) => e),
      tools.actionSet({ a: [1] as never }).catch((e: unknown) => e),
      tools.actionLog('nul\0byte').catch((e: unknown) => e),
      tools.actionSet({ 'a=b': 'x' }).catch((e: unknown) => e),
      tools.actionSet({ 'a.b': 'x' }).catch((e: unknown) => e),
      tools.actionSet({ outer: { Upper: 'x' } }).catch((e: unknown) => e),
      tools.actionSet({ stdout: 'x' }).catch((e: unknown) => e),
    ]);
    for (const reason of reasons) expect(reason).to.be.instanceOf(TypeError);
    expect(String(reasons[0])).to.match(/a relation id such as "database:7" or 7/);
    expect(String(reasons[2])).to.match(/Juju refuses or changes/);
    expect(String(reasons[4])).to.match(/must be a string/);
    // One rule for result keys, Juju's (action-set.go's keyRule), as for relation and state keys.
    expect(String(reasons[9])).to.match(/result key "a=b" is one Juju refuses/);
    expect(String(reasons[10])).to.match(/result key "a.b" is one Juju refuses: .*nest objects/);
    expect(String(reasons[11])).to.match(/result key "outer.Upper" is one Juju refuses/);
    expect(String(reasons[12])).to.match(/result key "stdout" is one Juju keeps for itself/);
    expect(await simulator.calls()).to.deep.equal([]);
  });
});
