// An application of several units, tested whole: the peer relation shared, the leader's
// application data, the application's status, and settle() running what Juju would queue.
import { fileURLToPath } from 'node:url';

import { expect } from 'chai';

import * as status from '../../lib/index.js';
import { runHookTool } from '../../lib/index.js';
import { hookEnvironment } from '../../lib/hook-tools/index.js';
import { type SettledRun, SettleError, SimulatedApplication, type Charm } from '../../lib/testing/index.js';
import { charm } from '../support/cluster-charm/charm.js';

const CHARM_DIR = fileURLToPath(new URL('../support/cluster-charm', import.meta.url));

/** `unit hook` of each run, in order. */
function hooksOf(runs: readonly SettledRun[]): string[] {
  return runs.map((r) => `${r.unit} ${r.hook}${r.exitCode === 0 ? '' : ` (exit ${String(r.exitCode)})`}`);
}

async function statuses(app: SimulatedApplication): Promise<string[]> {
  return Promise.all(app.units.map(async (u) => `${u} ${String(await app.unit(u).status())}`));
}

/** Runs `config-changed` on every unit, in order, then settles. */
async function form(app: SimulatedApplication, target: string | Charm): Promise<SettledRun[]> {
  for (const unit of app.units) {
    const run = await app.unit(unit).runHook(target, 'config-changed');
    expect(run.exitCode, run.stderr).to.equal(0);
  }
  return app.settle(target);
}

describe('SimulatedApplication', function () {
  this.timeout(60_000);

  it('forms a cluster of three in process: the leader shares a token, the others join, all settle active', async () => {
    const app = await SimulatedApplication.create({ units: 3, charmDir: CHARM_DIR });
    try {
      expect(app.units).to.deep.equal(['keeper/0', 'keeper/1', 'keeper/2']);
      expect(app.leader).to.equal('keeper/0');
      const runs = await form(app, charm);
      // The leader's application data reaches every unit, the leader included; each joined
      // unit's data reaches the others (resolver.go: application data first, then units).
      expect(hooksOf(runs)).to.deep.equal([
        'keeper/0 cluster-relation-changed',
        'keeper/1 cluster-relation-changed',
        'keeper/2 cluster-relation-changed',
        'keeper/0 cluster-relation-changed',
        'keeper/1 cluster-relation-changed',
        'keeper/2 cluster-relation-changed',
        'keeper/0 cluster-relation-changed',
      ]);
      expect(runs[0]?.calls.find((c) => c.tool === 'relation-get')).to.not.equal(undefined);
      expect(app.queued()).to.deep.equal([]);
      // The leader's own status is its own; the application's row is the units' together.
      expect(await statuses(app)).to.deep.equal([
        'keeper/0 active: Ready',
        'keeper/1 active: Ready',
        'keeper/2 active: Ready',
      ]);
      expect(String(await app.status())).to.equal('active: 3/3 units: Ready');
    } finally {
      await app.cleanup();
    }
  });

  it('gives each hook its remote unit or application, as Juju does', async () => {
    const app = await SimulatedApplication.create({ units: 2, charmDir: CHARM_DIR });
    try {
      const seen: string[] = [];
      const spy: Charm = {
        reconcile: async (hook) => {
          const env = hookEnvironment();
          seen.push(
            `${env.JUJU_UNIT_NAME ?? ''} ${hook} remote=${env.JUJU_REMOTE_UNIT ?? '-'} app=${env.JUJU_REMOTE_APP ?? '-'}`,
          );
          await charm.reconcile();
        },
        options: charm.options,
      };
      await form(app, spy);
      expect(seen.slice(2)).to.deep.equal([
        'keeper/0 cluster-relation-changed remote= app=keeper',
        'keeper/1 cluster-relation-changed remote= app=keeper',
        'keeper/0 cluster-relation-changed remote=keeper/1 app=keeper',
      ]);
    } finally {
      await app.cleanup();
    }
  });

  for (const units of [1, 2, 3]) {
    it(`agrees through dispatch with ${String(units)} unit(s): the same hooks, statuses and application row`, async () => {
      const inProcess = await SimulatedApplication.create({ units, charmDir: CHARM_DIR });
      const dispatched = await SimulatedApplication.create({ units, charmDir: CHARM_DIR });
      try {
        const a = await form(inProcess, charm);
        const b = await form(dispatched, CHARM_DIR);
        expect(a.length).to.be.greaterThan(0);
        expect(hooksOf(b)).to.deep.equal(hooksOf(a));
        expect(b.map((r) => r.statuses.map(String))).to.deep.equal(a.map((r) => r.statuses.map(String)));
        expect(await statuses(dispatched)).to.deep.equal(await statuses(inProcess));
        expect(String(await dispatched.status())).to.equal(String(await inProcess.status()));
        expect(String(await dispatched.status())).to.equal(
          units === 1 ? 'active: Ready' : `active: ${String(units)}/${String(units)} units: Ready`,
        );
      } finally {
        await Promise.all([inProcess.cleanup(), dispatched.cleanup()]);
      }
    });
  }

  it('lists every unit in status-get --application --include-data on the leader, both ways', async () => {
    const app = await SimulatedApplication.create({ units: 3, charmDir: CHARM_DIR, leader: 1 });
    try {
      await app.unit(2).runHook(
        {
          reconcile: () => {
            status.add(new status.WaitingStatus('two'));
          },
          options: { log: false },
        },
        'update-status',
      );
      const args = ['--application', '--include-data', '--format=json'];
      const through: unknown = JSON.parse(
        await runHookTool('status-get', args, { env: { ...app.unit(1).env } }),
      );
      let inside: unknown;
      await app.unit(1).runHook(
        {
          reconcile: async () => {
            inside = JSON.parse(await runHookTool('status-get', args));
          },
          options: { log: false, updateStatus: 'always' },
        },
        'update-status',
      );
      expect(inside).to.deep.equal(through);
      const units = (through as { 'application-status': { units: Record<string, { status: string }> } })[
        'application-status'
      ].units;
      // Go prints a map's keys sorted.
      expect(Object.keys(units)).to.deep.equal(['keeper/0', 'keeper/1', 'keeper/2']);
      expect(units['keeper/2']?.status).to.equal('waiting');
      await app
        .unit(0)
        .runHook({ reconcile: () => undefined, options: { log: false } }, 'update-status')
        .then((run) => expect(run.exitCode, run.stderr).to.equal(0));
      const refused = await runHookTool('status-get', args, { env: { ...app.unit(0).env } }).catch(
        (e: unknown) => e,
      );
      expect(refused).to.be.instanceOf(status.HookToolError);
      expect((refused as status.HookToolError).stderr).to.include('this unit is not the leader');
    } finally {
      await app.cleanup();
    }
  });

  it("derives the application's row from its units until the leader sets one, ties to the leader then the lowest unit", async () => {
    const app = await SimulatedApplication.create({ units: 3, leader: 2 });
    try {
      const set = async (unit: number, s: status.StatusBase): Promise<void> => {
        const run = await app.unit(unit).runHook(
          {
            reconcile: () => {
              status.add(s);
            },
            options: { log: false, exitStatus: s },
          },
          'config-changed',
        );
        expect(run.exitCode, run.stderr).to.equal(0);
      };
      expect(String(await app.status())).to.equal('unknown');
      await set(0, new status.WaitingStatus('zero'));
      await set(1, new status.WaitingStatus('one'));
      await set(2, new status.ActiveStatus('two'));
      expect(String(await app.status())).to.equal('waiting: zero');
      await set(2, new status.WaitingStatus('leader'));
      expect(String(await app.status())).to.equal('waiting: leader');
      await set(1, new status.BlockedStatus('one'));
      expect(String(await app.status())).to.equal('blocked: one');
      await app.unit(2).runHook(
        {
          reconcile: async () => {
            await runHookTool('status-set', ['--application', 'maintenance', 'Upgrading']);
          },
          options: { log: false },
        },
        'upgrade-charm',
      );
      expect(String(await app.status())).to.equal('maintenance: Upgrading');
      // Every unit holds the application's status: the next leader reads the same.
      await app.setLeader(0);
      expect(String(await app.unit(0).status({ application: true }))).to.equal('maintenance: Upgrading');
    } finally {
      await app.cleanup();
    }
  });

  it("derives the row by Juju's ranking for every pair of statuses, ties to the leader then the lowest unit", async () => {
    const SETTABLE = ['active', 'waiting', 'maintenance', 'blocked'] as const;
    const app = await SimulatedApplication.create({ units: 3, leader: 1 });
    try {
      const set = async (unit: number, s: status.StatusBase): Promise<void> => {
        await app
          .unit(unit)
          .runHook({ reconcile: () => undefined, options: { log: false, exitStatus: s } }, 'config-changed');
      };
      for (const [i, a] of SETTABLE.entries()) {
        for (const [j, b] of SETTABLE.entries()) {
          // The leader (1) and unit 2 show a; unit 0 shows b.
          await set(0, status.StatusBase.fromName(b, 'zero'));
          await set(1, status.StatusBase.fromName(a, 'one'));
          await set(2, status.StatusBase.fromName(a, 'two'));
          const expected = j > i ? `${b}: zero` : `${a}: one`;
          expect(String(await app.status()), `${a} against ${b}`).to.equal(expected);
        }
      }
    } finally {
      await app.cleanup();
    }
  });

  it('adds a unit: its install to start, then it and the others join each other', async () => {
    const app = await SimulatedApplication.create({ units: 2, charmDir: CHARM_DIR });
    try {
      await form(app, charm);
      const added = await app.addUnit();
      expect(app.units).to.deep.equal(['keeper/0', 'keeper/1', 'keeper/2']);
      expect(app.queued()).to.deep.equal([
        'keeper/0: cluster-relation-joined (keeper/2)',
        'keeper/1: cluster-relation-joined (keeper/2)',
        'keeper/2: install',
      ]);
      const runs = await app.settle(charm);
      expect(hooksOf(runs.filter((r) => r.unit === 'keeper/2'))).to.deep.equal([
        'keeper/2 install',
        'keeper/2 cluster-relation-created',
        'keeper/2 config-changed',
        'keeper/2 start',
        'keeper/2 cluster-relation-changed',
        'keeper/2 cluster-relation-joined',
        'keeper/2 cluster-relation-changed',
        'keeper/2 cluster-relation-joined',
        'keeper/2 cluster-relation-changed',
      ]);
      expect(String(await added.status())).to.equal('active: Ready');
      expect(String(await app.status())).to.equal('active: 3/3 units: Ready');
    } finally {
      await app.cleanup();
    }
  });

  it('removes the leader: it departs, stops and goes; the next unit leads', async () => {
    const app = await SimulatedApplication.create({ units: 3, charmDir: CHARM_DIR });
    try {
      await form(app, charm);
      await app.removeUnit('keeper/0');
      expect(app.leader).to.equal('keeper/1');
      const runs = await app.settle(charm);
      expect(hooksOf(runs.filter((r) => r.unit === 'keeper/0'))).to.deep.equal([
        'keeper/0 cluster-relation-departed',
        'keeper/0 cluster-relation-departed',
        'keeper/0 stop',
        'keeper/0 remove',
      ]);
      expect(hooksOf(runs.filter((r) => r.unit === 'keeper/1'))[0]).to.equal('keeper/1 leader-elected');
      expect(hooksOf(runs.filter((r) => r.unit === 'keeper/2'))).to.deep.equal([
        'keeper/2 cluster-relation-departed',
      ]);
      expect(app.units).to.deep.equal(['keeper/1', 'keeper/2']);
      // The leader last read the units while keeper/0 was still there: the row lags until its
      // next hook, as in Juju.
      expect(String(await app.status())).to.equal('active: 3/3 units: Ready');
      await app.unit(1).runHook(charm, 'update-status');
      expect(String(await app.status())).to.equal('active: 2/2 units: Ready');
    } finally {
      await app.cleanup();
    }
  });

  it('keeps a failed hook, goes on with the other units, rejects naming it, and retries it next time', async () => {
    const app = await SimulatedApplication.create({
      units: 3,
      charmDir: CHARM_DIR,
      config: { mode: 'fail:keeper/1' },
    });
    try {
      const error = await form(app, charm).catch((e: unknown) => e);
      expect(error).to.be.an('error'); // config-changed on keeper/1 fails first
      await app.unit(0).runHook(charm, 'config-changed');
      await app.unit(2).runHook(charm, 'config-changed');
      const failed = (await app.settle(charm).catch((e: unknown) => e)) as SettleError;
      expect(failed).to.be.instanceOf(SettleError);
      expect(hooksOf(failed.failed)).to.deep.equal(['keeper/1 cluster-relation-changed (exit 1)']);
      expect(failed.message).to.include('keeper/1 cluster-relation-changed');
      expect(hooksOf(failed.runs.filter((r) => r.unit === 'keeper/2'))).to.deep.equal([
        'keeper/2 cluster-relation-changed',
      ]);
      expect(app.queued()).to.deep.equal(['keeper/1: cluster-relation-changed (failed, to retry)']);
      await app.setConfig({ mode: 'ok' });
      const runs = await app.settle(charm);
      expect(hooksOf(runs)[0]).to.equal('keeper/0 config-changed');
      expect(hooksOf(runs)[1]).to.equal('keeper/1 cluster-relation-changed');
      expect(String(await app.status())).to.equal('active: 3/3 units: Ready');
    } finally {
      await app.cleanup();
    }
  });

  it('rejects at maxRuns when units keep re-triggering each other, saying what is still queued', async () => {
    const app = await SimulatedApplication.create({
      units: 2,
      charmDir: CHARM_DIR,
      config: { mode: 'ping-pong' },
    });
    try {
      await app.unit(0).runHook(charm, 'config-changed');
      const error = (await app.settle(charm, { maxRuns: 12 }).catch((e: unknown) => e)) as SettleError;
      expect(error).to.be.instanceOf(SettleError);
      expect(error.runs).to.have.length(12);
      expect(error.queued.length).to.be.greaterThan(0);
      expect(error.message).to.match(/made 12 runs and hooks are still queued.*cluster-relation-changed/);
    } finally {
      await app.cleanup();
    }
  });

  it('refuses what is not an application of units, naming what is accepted', async () => {
    for (const [options, message] of [
      [{ units: 0 }, /units.*a whole number of units, 1 or more/],
      [{ units: 2.5 }, /a whole number of units/],
      [{ units: 2, leader: 2 }, /leader must be one of the units \(app\/0, app\/1\)/],
      [{ units: 2, leader: 'other/0' }, /leader must be one of the units/],
      [{ units: 2, unitName: 'app/7' }, /unitName is each unit's own/],
      [{}, /how many units/],
      [
        {
          units: 2,
          charmDir: CHARM_DIR,
          relations: [{ endpoint: 'cluster', remoteUnits: { 'keeper/9': {} } }],
        },
        /cluster is a peer relation, whose units are the application's own/,
      ],
    ] as const) {
      const error = await SimulatedApplication.create(options as never).catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.match(message);
    }
    const app = await SimulatedApplication.create({ units: 1 });
    try {
      expect(() => app.unit('other/0')).to.throw(
        TypeError,
        /takes a unit of app, by number or name \(app\/0\)/,
      );
      expect(() => app.unit(3)).to.throw(TypeError, /got .*3/);
      const last = await app.removeUnit(0).catch((e: unknown) => e);
      expect(last).to.be.instanceOf(TypeError);
      expect((last as Error).message).to.include('the last unit');
      const bad = await app.settle(charm, { maxRuns: 0 }).catch((e: unknown) => e);
      expect(bad).to.be.instanceOf(TypeError);
    } finally {
      await app.cleanup();
    }
  });
});
