// The application's status from its units' (core/status DeriveStatus and statusSeverities),
// ties to the leader then the lowest-numbered unit, and reconcile()'s 'aggregate' on the leader.
import { expect } from 'chai';

import * as status from '../../lib/index.js';
import { aggregate, inTieOrder } from '../../lib/juju/application.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';

const SETTABLE = ['active', 'waiting', 'maintenance', 'blocked'] as const;

/** The application-status answer Juju's status-get --application --include-data prints. */
function statusGetAnswer(units: Record<string, [string, string]>): string {
  return JSON.stringify({
    'application-status': {
      status: 'unknown',
      message: '',
      'status-data': {},
      units: Object.fromEntries(
        Object.entries(units).map(([unit, [name, message]]) => [
          unit,
          { status: name, message, 'status-data': {} },
        ]),
      ),
    },
  });
}

describe("an application's status from its units", () => {
  it('takes the most severe by Juju ranking for every pair, ties to the leader then the lowest unit', () => {
    for (const [i, a] of SETTABLE.entries()) {
      for (const [j, b] of SETTABLE.entries()) {
        const units = inTieOrder(
          [
            { unit: 'app/2', status: status.StatusBase.fromName(b, 'two') },
            { unit: 'app/1', status: status.StatusBase.fromName(a, 'one') },
            { unit: 'app/3', status: status.StatusBase.fromName(a, 'three') },
          ],
          'app/3',
        );
        const chosen = aggregate(units, 'app/3');
        const winner = j > i ? b : a;
        expect(chosen?.name, `${a} against ${b}`).to.equal(winner);
        // Ties: the leader (app/3) holds a, then app/1 holds a too, app/2 b.
        const from = j > i ? 'app/2: two' : 'three';
        const sharing = a === b ? 3 : j > i ? 1 : 2;
        expect(chosen?.message, `${a} against ${b}`).to.equal(`${String(sharing)}/3 units: ${from}`);
      }
    }
  });

  it('leaves out units showing what a charm cannot set, and keeps a message within 120 characters', () => {
    const long = 'x'.repeat(200);
    const chosen = aggregate(
      inTieOrder(
        [
          { unit: 'app/0', status: new status.ActiveStatus('fine') },
          { unit: 'app/1', status: new status.ErrorStatus('hook failed') },
          { unit: 'app/2', status: new status.WaitingStatus(long) },
        ],
        'app/0',
      ),
      'app/0',
    );
    expect(chosen?.name).to.equal('waiting');
    expect(Array.from(chosen?.message ?? '').length).to.equal(120);
    expect(chosen?.message.startsWith('1/3 units: app/2: xxx')).to.equal(true);
    expect(
      aggregate([{ unit: 'app/0', status: new status.BlockedStatus('alone') }], 'app/0')?.message,
    ).to.equal('alone');
  });
});

describe("reconcile({ application: 'aggregate' })", function () {
  this.timeout(30_000);

  it('publishes on the leader the most severe of its fresh status and the others, and never skips update-status there', async () => {
    const simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', leader: true });
    try {
      await simulator.addTool('status-get', {
        stdout: statusGetAnswer({
          'webapp/0': ['maintenance', 'stale: the leader before this hook'],
          'webapp/1': ['active', 'Ready'],
          'webapp/2': ['waiting', 'Waiting for the database'],
        }),
      });
      const charm = {
        reconcile: () => undefined,
        options: { application: 'aggregate' as const, log: false },
      };
      const run = await simulator.runHook(charm, 'config-changed');
      expect(run.exitCode, run.stderr).to.equal(0);
      expect(run.applicationStatuses.map(String)).to.deep.equal([
        'waiting: 1/3 units: webapp/2: Waiting for the database',
      ]);
      const again = await simulator.runHook(charm, 'update-status');
      expect(again.applicationStatuses.map(String)).to.deep.equal([
        'waiting: 1/3 units: webapp/2: Waiting for the database',
      ]);
      const replaced = await simulator.runHook(
        {
          reconcile: () => undefined,
          options: {
            log: false,
            application: (own, units) =>
              new status.ActiveStatus(`${String(units.length)} units, mine ${own.name}`),
          },
        },
        'config-changed',
      );
      expect(replaced.applicationStatuses.map(String)).to.deep.equal(['active: 3 units, mine active']);
    } finally {
      await simulator.cleanup();
    }
  });

  it('publishes nothing on a unit that is not the leader, and skips its reconciled update-status', async () => {
    const simulator = await HookToolsSimulator.create({ unitName: 'webapp/1', leader: false });
    try {
      const charm = {
        reconcile: () => undefined,
        options: { application: 'aggregate' as const, log: false },
      };
      const run = await simulator.runHook(charm, 'config-changed');
      expect(run.applicationStatuses).to.deep.equal([]);
      expect(run.calls.some((c) => c.tool === 'status-get')).to.equal(false);
      const idle = await simulator.runHook(charm, 'update-status');
      expect(idle.statuses).to.deep.equal([]);
    } finally {
      await simulator.cleanup();
    }
  });
});
