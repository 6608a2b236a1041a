// A charm for the reconciler's specs: what its one reconcile function does is set by its
// `mode` config option, so each spec declares the world and runs one hook.
import { execFileSync } from 'node:child_process';

import * as status from '../../../lib/index.js';

class DatabaseDown extends Error {}

const connect = status.onError(
  new status.WaitingStatus('Waiting for the database'),
  DatabaseDown,
)(() => {
  throw new DatabaseDown('connection refused');
});

function mode(): string {
  const config = JSON.parse(execFileSync('config-get', ['--format=json'], { encoding: 'utf8' })) as {
    mode?: string;
  };
  return config.mode ?? 'ok';
}

await status.reconcile(
  async (hook) => {
    status.add(new status.MaintenanceStatus(`Reconciling on ${hook}`));
    await Promise.resolve();
    switch (mode()) {
      case 'blocked':
        status.add(new status.BlockedStatus('Set "port"'));
        return;
      case 'expected':
        connect();
        return;
      case 'crash':
        throw new Error('disk full');
      default:
        return;
    }
  },
  {
    exitStatus: () => new status.ActiveStatus('Serving'),
    errorStatus: new status.BlockedStatus('Hook failed: see juju debug-log'),
    application: true,
    actions: {
      restart: () => {
        status.add(new status.MaintenanceStatus('Restarting'));
        execFileSync('action-set', ['restarted=true']);
      },
      explode: () => {
        throw new Error('action exploded');
      },
      range: () => {
        throw new RangeError('-1 is out of range');
      },
    },
  },
);
