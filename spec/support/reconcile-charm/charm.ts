// A charm for the reconciler's and the simulator's specs: what its one reconcile function does
// is set by its `mode` config option, so each spec declares the world and runs one hook. It
// exports itself as `charm`, for runs in the spec's process; main.ts is its entry point, for
// runs through `dispatch`.
import * as status from '../../../lib/index.js';
import { actionSet, configGet } from '../../../lib/hook-tools/index.js';

class DatabaseDown extends Error {}

const connect = status.onError(
  new status.WaitingStatus('Waiting for the database'),
  DatabaseDown,
)(() => {
  throw new DatabaseDown('connection refused');
});

async function mode(): Promise<string> {
  const value = await configGet('mode');
  return typeof value === 'string' ? value : 'ok';
}

export const charm = {
  reconcile: async (hook: string): Promise<void> => {
    status.add(new status.MaintenanceStatus(`Reconciling on ${hook}`));
    await Promise.resolve();
    switch (await mode()) {
      case 'blocked':
        status.add(new status.BlockedStatus('Set "port"'));
        return;
      case 'expected':
        connect();
        return;
      case 'crash':
        throw new Error('disk full');
      case 'hang':
        // Long enough for any spec, short enough never to keep a test process from exiting.
        await new Promise((done) => setTimeout(done, 5000));
        await configGet('mode');
        return;
      case 'left-open':
        status.open(new status.HookToolUnit()).add(new status.WaitingStatus('Left open'));
        return;
      default:
        return;
    }
  },
  options: {
    exitStatus: () => new status.ActiveStatus('Serving'),
    errorStatus: new status.BlockedStatus('Hook failed: see juju debug-log'),
    application: true,
    actions: {
      restart: async () => {
        status.add(new status.MaintenanceStatus('Restarting'));
        await actionSet({ restarted: 'true' });
      },
      explode: () => {
        throw new Error('action exploded');
      },
      range: () => {
        throw new RangeError('-1 is out of range');
      },
    },
  },
} satisfies { reconcile: (hook: string) => unknown; options: status.ReconcileOptions };
