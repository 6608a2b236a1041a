// A charm's hook run in the test's own process: runHook({ reconcile, options }, …) and
// runAction(…) answer every hook tool the library runs from the simulator's model, with no
// process started, each run in an environment of its own; and they agree with the same charm
// run through its dispatch.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import * as status from '../../../lib/index.js';
import {
  configGet,
  hookEnvironment,
  relationList,
  relationSet,
  stateGet,
  stateSet,
} from '../../../lib/hook-tools/index.js';
import { type HookRun, HookToolsSimulator } from '../../../lib/testing/index.js';
import { charm } from '../../support/reconcile-charm/charm.js';

const folder = new URL('../../support/reconcile-charm', import.meta.url).pathname;
const texts = (values: readonly unknown[]): string[] => values.map(String);

describe('HookToolsSimulator, a hook run in the test process', function () {
  this.timeout(30_000);
  let simulator: HookToolsSimulator;

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', leader: true });
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  it('runs the charm here, every hook tool answered by the model: it works with the tool executables gone', async () => {
    await rm(simulator.dir, { recursive: true });
    const run = await simulator.runHook(charm, 'config-changed');
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(texts(run.statuses)).to.deep.equal([
      'maintenance: Reconciling on config-changed',
      'active: Serving',
    ]);
    expect(texts(run.applicationStatuses)).to.deep.equal(['active: Serving']);
    expect(run.calls.map((c) => c.tool)).to.include.members([
      'status-set',
      'config-get',
      'state-set',
      'is-leader',
    ]);
    expect(run.logs.map((l) => l.message)).to.include('status context opened');
    expect(run.stdout).to.equal('');
  });

  it('runs an action with its parameters, results and failure', async () => {
    const restarted = await simulator.runAction(charm, 'restart');
    expect(restarted).to.deep.include({ exitCode: 0, failed: false, message: undefined });
    expect(restarted.results).to.deep.equal({ restarted: 'true' });
    const range = await simulator.runAction(charm, 'range');
    expect(range).to.deep.include({ exitCode: 0, failed: true, message: '-1 is out of range' });
  });

  it('fails the run, not the test process, when the charm throws: exit 1, errorStatus, its state-set discarded (Flush)', async () => {
    await simulator.setConfig({ mode: 'crash' });
    const before = await simulator.state();
    const run = await simulator.runHook(charm, 'config-changed');
    expect(run.exitCode).to.equal(1);
    expect(process.exitCode ?? 0).to.equal(0);
    expect(texts(run.statuses).at(-1)).to.equal('blocked: Hook failed: see juju debug-log');
    expect(run.logs.find((l) => l.level === 'ERROR')?.message).to.match(/disk full/);
    expect(run.stderr).to.match(
      /^juju-log ERROR: the config-changed hook failed, and Juju will retry it: Error: disk full/m,
    );
    expect(await simulator.state()).to.deep.equal(before);
  });

  it('gives the world after the hook in run.after, in the shape create() takes', async () => {
    await simulator.setRelation('database:2', { 'postgresql/0': { host: 'db' } });
    const run = await simulator.runHook(
      { reconcile: () => relationSet('database:2', { database: 'webapp' }).then(() => stateSet({ k: 'v' })) },
      'config-changed',
    );
    expect(run.after.state).to.deep.include({ k: 'v' });
    expect(run.after.relations?.[0]).to.deep.include({
      endpoint: 'database',
      id: 2,
      localUnitData: { database: 'webapp' },
      remoteUnits: { 'postgresql/0': { host: 'db' } },
    });
    expect(String(run.after.unitStatus)).to.equal('active: Ready');
    const next = await HookToolsSimulator.create(run.after);
    try {
      expect(await next.state()).to.deep.equal(await simulator.state());
      expect(String(await next.status())).to.equal('active: Ready');
    } finally {
      await next.cleanup();
    }
  });

  it('keeps a successful hook’s state-set for the next hook: update-status is then skipped', async () => {
    await simulator.runHook(charm, 'config-changed');
    const quiet = await simulator.runHook(charm, 'update-status');
    expect(quiet.calls.map((c) => c.tool)).to.deep.equal(['state-get', 'juju-log']);
  });

  it('ends a run that does not settle within timeoutMs, and its later tool calls change nothing', async () => {
    const slow = {
      reconcile: async (): Promise<void> => {
        await new Promise((done) => setTimeout(done, 300));
        await stateSet({ late: 'yes' });
      },
    };
    const run = await simulator.runHook(slow, 'config-changed', { timeoutMs: 100 });
    expect(run.exitCode).to.equal(null);
    expect(run.stderr).to.match(/did not end within 100 ms, and was ended/);
    await new Promise((done) => setTimeout(done, 400));
    expect(await simulator.state()).to.deep.equal({});
    expect((await simulator.calls()).map((c) => c.tool)).to.not.include('state-set');
  });

  it('ends the contexts a run left open, says so in its stderr, and a later run does not reach them', async () => {
    await simulator.setConfig({ mode: 'left-open' });
    const run = await simulator.runHook(charm, 'config-changed');
    expect(run.exitCode).to.equal(0);
    expect(run.stderr).to.match(/1 status context was still open when the hook ended/);
    await simulator.setConfig({ mode: 'blocked' });
    const next = await simulator.runHook(charm, 'config-changed');
    expect(texts(next.statuses).at(-1)).to.equal('blocked: Set "port"');
  });

  it('twenty runs at once on twenty simulators each see only their own environment, statuses and log lines', async () => {
    const each = Array.from({ length: 20 }, (_, i) => i);
    const simulators = await Promise.all(
      each.map((i) => HookToolsSimulator.create({ unitName: `app${String(i)}/0`, config: { n: i } })),
    );
    const worker = {
      reconcile: async (): Promise<void> => {
        const n = String(await configGet('n'));
        const unit = process.env.JUJU_UNIT_NAME; // the test process's: the run's own is not there
        status.add(new status.MaintenanceStatus(`Working ${n}`));
        await new Promise((done) => setTimeout(done, Math.random() * 20));
        // A bus-wide context opened in one run reaches that run's adds alone.
        const side = status.open(new status.MemoryUnit());
        status.add(new status.WaitingStatus(`Waiting ${n}`));
        const seen = side.conditions.map(String);
        await side.close();
        await stateSet({ seen: seen.join(','), unit: unit ?? '' });
      },
    };
    try {
      const runs: HookRun[] = await Promise.all(simulators.map((s) => s.runHook(worker, 'config-changed')));
      for (const i of each) {
        const n = String(i);
        const run = runs[i];
        expect(run?.exitCode, run?.stderr).to.equal(0);
        expect(texts(run?.statuses ?? [])).to.deep.equal([
          `maintenance: Working ${n}`,
          `waiting: Waiting ${n}`,
        ]);
        const lines = (run?.logs ?? []).flatMap((l) => l.message.split('\n'));
        expect(lines.filter((l) => /Working|Waiting/.test(l)).every((l) => l.endsWith(` ${n}`))).to.equal(
          true,
        );
        const state = await simulators[i]?.state();
        expect(state?.seen).to.equal(`waiting: Waiting ${n}`);
        expect(state?.unit).to.equal(process.env.JUJU_UNIT_NAME ?? '');
      }
    } finally {
      await Promise.all(simulators.map((s) => s.cleanup()));
    }
  });

  it('gives the hook its environment through the library: hookEnv-based reads see the run’s unit', async () => {
    let seen: string | undefined;
    const probe = {
      reconcile: async (): Promise<void> => {
        seen = (await stateGet()).missing;
        status.add(new status.MaintenanceStatus('probing'));
      },
    };
    const run = await simulator.runHook(probe, 'start');
    expect(seen).to.equal(undefined);
    expect(run.calls.find((c) => c.tool === 'status-set')?.args).to.deep.equal([
      '--',
      'maintenance',
      'probing',
    ]);
  });

  it('makes the tool executables only when the charm reads PATH to run one, not for its unit name', async () => {
    // The tools' folder is the charm folder's sibling (transports/folder.ts).
    const bin = (env: Readonly<Record<string, string | undefined>>): string =>
      join((env.JUJU_CHARM_DIR ?? '').replace(/-charm$/, ''), 'bin');
    let named = '';
    let made = true;
    await simulator.runHook(
      {
        reconcile: () => {
          const env = hookEnvironment();
          named = env.JUJU_UNIT_NAME ?? '';
          made = existsSync(bin(env));
        },
        options: { log: false },
      },
      'config-changed',
    );
    expect([named, made]).to.deep.equal(['webapp/0', false]);
    await simulator.runHook(
      {
        reconcile: () => {
          const env = { ...hookEnvironment() }; // as execFile(tool, { env }) reads it
          made = existsSync(bin(env)) && env.PATH?.split(':')[0] === bin(env);
        },
        options: { log: false },
      },
      'config-changed',
    );
    expect(made).to.equal(true);
  });

  it('cleanup() ends a hook running at that moment, in process and through dispatch', async () => {
    await simulator.setConfig({ mode: 'hang' });
    const here = simulator.runHook(charm, 'config-changed');
    const there = simulator.runHook(folder, 'config-changed');
    await new Promise((done) => setTimeout(done, 1500));
    await simulator.cleanup();
    const [a, b] = await Promise.all([here, there]);
    expect(a.exitCode).to.equal(null);
    expect(a.stderr).to.match(/cleaned up while the hook ran/);
    expect(b.exitCode).to.equal(null);
    expect(b.stderr).to.match(/cleaned up while the hook ran/);
  });
});

describe('HookToolsSimulator, a hook run in the test process, refused', () => {
  let simulator: HookToolsSimulator;

  before(async () => {
    simulator = await HookToolsSimulator.create();
  });

  after(async () => {
    await simulator.cleanup();
  });

  it('refuses what is not a charm, bad options and hook names with a TypeError, before anything runs', async () => {
    const reasons = await Promise.all([
      simulator.runHook(42 as unknown as string, 'install').catch((e: unknown) => e),
      simulator.runHook({ reconcile: 'no' } as unknown as string, 'install').catch((e: unknown) => e),
      simulator
        .runHook({ reconcile: () => 1, extra: 1 } as unknown as string, 'install')
        .catch((e: unknown) => e),
      simulator
        .runHook({ reconcile: () => 1, options: { updateStatus: 'never' } } as never, 'install')
        .catch((e: unknown) => e),
      simulator
        .runHook({ reconcile: () => 1, options: { env: {} } } as never, 'install')
        .catch((e: unknown) => e),
      simulator.runHook(charm, 7 as unknown as string).catch((e: unknown) => e),
      simulator.runAction(charm, 'restart', {}, { timeoutMs: -1 }).catch((e: unknown) => e),
    ]);
    for (const reason of reasons) expect(reason).to.be.instanceOf(TypeError);
    expect(String(reasons[0])).to.match(
      /the charm's folder \(a string\) or the charm itself, \{ reconcile, options\? \}/,
    );
    expect(String(reasons[2])).to.match(/with extra as well/);
    expect(String(reasons[3])).to.match(/updateStatus/);
    expect(String(reasons[4])).to.match(/must not set env/);
    expect(await simulator.calls()).to.deep.equal([]);
  });
});

describe('HookToolsSimulator, the same hook both ways', function () {
  this.timeout(60_000);

  for (const [mode, hook] of [
    ['ok', 'config-changed'],
    ['blocked', 'config-changed'],
    ['expected', 'config-changed'],
    ['crash', 'config-changed'],
    ['ok', 'update-status'],
    ['action', 'restart'],
    ['action', 'explode'],
    ['action', 'nothing'],
  ] as const) {
    it(`${mode === 'action' ? `the ${hook} action` : `${hook} with mode ${mode}`}: the same statuses, log lines and tool calls`, async () => {
      const seen = [];
      for (const target of [charm, folder]) {
        const simulator = await HookToolsSimulator.create({ leader: true, config: { mode } });
        try {
          const run =
            mode === 'action'
              ? await simulator.runAction(target, hook)
              : await simulator.runHook(target, hook);
          seen.push({
            exitCode: run.exitCode,
            statuses: texts(run.statuses),
            applicationStatuses: texts(run.applicationStatuses),
            logs: run.logs.flatMap((l) =>
              // A stack names the file it ran from, which differs; its first line does not.
              l.message
                .split('\n')
                .filter((line) => !/^\s+at /.test(line))
                .map((line) => `${l.level} ${line}`),
            ),
            // Calls made while another is in flight (a status write and a config-get, say) race
            // each other across processes: the same calls, in an order the tools' speed decides.
            calls: run.calls
              .filter((c) => c.tool !== 'juju-log')
              .map((c) => JSON.stringify(c))
              .sort(),
            state: await simulator.state(),
            // A failed run says why in its stderr, both ways (the first line of each ERROR).
            reason: run.stderr.split('\n').filter((line) => line.startsWith('juju-log ERROR')),
          });
        } finally {
          await simulator.cleanup();
        }
      }
      expect(seen[0]).to.deep.equal(seen[1]);
    });
  }
});

describe('HookToolsSimulator, relation hooks as Juju runs them', () => {
  let simulator: HookToolsSimulator;

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({
      relations: [{ endpoint: 'database', id: 3, remoteUnits: { 'postgresql/0': {}, 'postgresql/1': {} } }],
    });
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  /** What a relation hook sees: its variables and the relation's members. */
  async function seen(hook: string, relation?: { id: number; remoteUnit?: string }): Promise<unknown> {
    let saw: unknown;
    const probe = {
      reconcile: async (): Promise<void> => {
        const env = hookEnvironment();
        saw = {
          remote: env.JUJU_REMOTE_UNIT,
          departing: env.JUJU_DEPARTING_UNIT,
          members: await relationList(3),
        };
      },
    };
    const run = await simulator.runHook(probe, hook, relation === undefined ? {} : { relation });
    expect(run.exitCode, run.stderr).to.equal(0);
    return saw;
  }

  it('relation-created and relation-broken are about no remote unit: JUJU_REMOTE_UNIT is empty (HookVars)', async () => {
    expect(await seen('database-relation-created')).to.deep.include({ remote: '', departing: undefined });
    const refused = await simulator
      .runHook({ reconcile: () => undefined }, 'database-relation-created', {
        relation: { id: 3, remoteUnit: 'postgresql/0' },
      })
      .catch((e: unknown) => e);
    expect(String(refused)).to.match(/a relation-created hook is about no remote unit/);
  });

  it('relation-departed names the departing unit, which relation-list no longer lists, and which is gone after', async () => {
    expect(await seen('database-relation-departed', { id: 3, remoteUnit: 'postgresql/1' })).to.deep.equal({
      remote: 'postgresql/1',
      departing: 'postgresql/1',
      members: ['postgresql/0'],
    });
    expect(await seen('database-relation-changed')).to.deep.include({ members: ['postgresql/0'] });
  });

  it('relation-broken is the last hook of a relation: gone once it succeeds, kept for a retry after a failure', async () => {
    const failed = await simulator.runHook(
      {
        reconcile: () => {
          throw new Error('cleanup failed');
        },
      },
      'database-relation-broken',
    );
    expect(failed.exitCode).to.equal(1);
    expect((await simulator.runHook({ reconcile: () => relationList(3) }, 'start')).exitCode).to.equal(0);
    await seen('database-relation-broken');
    const after = await simulator.runHook({ reconcile: () => relationList(3) }, 'config-changed');
    expect(after.calls.find((c) => c.tool === 'relation-list')?.exitCode).to.equal(2);
  });
});

describe('HookToolsSimulator, relations declared between hooks', () => {
  let simulator: HookToolsSimulator;

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ unitName: 'webapp/0' });
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  it('setRelation() sets the remote application and its data, and keeps what this side wrote', async () => {
    await simulator.setRelation('database:4', { 'postgresql/0': {} }, { localUnitData: { mine: '1' } });
    await simulator.setRelation(
      'database:4',
      { 'postgresql/1': {} },
      { remoteApp: 'pg', remoteAppData: { v: '16' } },
    );
    const run = await simulator.runHook({ reconcile: () => undefined }, 'database-relation-changed', {
      relation: { id: 'database:4' },
    });
    expect(run.after.relations).to.deep.equal([
      {
        endpoint: 'database',
        id: 4,
        remoteApp: 'pg',
        remoteUnits: { 'postgresql/1': {} },
        remoteAppData: { v: '16' },
        localUnitData: { mine: '1' },
        localAppData: {},
      },
    ]);
  });

  it('setRelation() refuses what create({ relations }) refuses; removeRelation() an id of no relation here', async () => {
    expect(
      String(await simulator.setRelation('database:4', { 'not a unit': {} }).catch((e: unknown) => e)),
    ).to.match(/setRelation\(\) relation option remoteUnits/);
    expect(
      String(
        await simulator.setRelation('database:4', {}, { remoteApp: 'Bad App' }).catch((e: unknown) => e),
      ),
    ).to.match(/remoteApp/);
    await simulator.setRelation('database:4');
    expect(String(await simulator.removeRelation('database:5').catch((e: unknown) => e))).to.match(
      /removeRelation\(\) takes the id of a relation here.*got a string \("database:5"\): the relations are database:4/,
    );
    expect(String(await simulator.removeRelation('cache:4').catch((e: unknown) => e))).to.match(
      /removeRelation/,
    );
    await simulator.removeRelation(4);
    expect((await simulator.runHook({ reconcile: () => undefined }, 'start')).after.relations).to.deep.equal(
      [],
    );
  });

  it("runHook()'s relation takes an id in either form, and says what it takes", async () => {
    await simulator.setRelation('database:4', { 'postgresql/0': {} });
    let seen: string | undefined;
    const probe = { reconcile: () => void (seen = hookEnvironment().JUJU_RELATION_ID) };
    await simulator.runHook(probe, 'database-relation-changed', { relation: { id: 4 } });
    expect(seen).to.equal('database:4');
    await simulator.runHook(probe, 'database-relation-changed', { relation: { id: 'database:4' } });
    expect(seen).to.equal('database:4');
    const refused = await simulator
      .runHook(probe, 'database-relation-changed', { relation: { id: 'four' } })
      .catch((e: unknown) => e);
    expect(String(refused)).to.match(
      /a relation such as \{ id: "database:7" \(or 7\), remoteUnit: "postgresql\/0" \}/,
    );
  });
});
