// The charm's entry point: `dispatch` runs this once per hook or action, in a new process.
// One reconcile function converges the unit on its configuration and relations, whatever the
// hook; reconcile() runs it in a status context, logs to `juju debug-log`, skips quiet
// update-status hooks, and routes actions to their handlers.
import * as status from 'charms-contextual-status';

import { DatabaseRequirer } from './database.js';
import { actionSet, config } from './hook-tools.js';

let port: number | undefined;

async function reconcileWebapp(hook: string): Promise<void> {
  if (hook === 'install') {
    status.add(new status.MaintenanceStatus('Installing packages'));
    // … install the web server's packages …
  }
  const value = (await config()).port;
  port = typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
  if (port === undefined) {
    status.add(new status.BlockedStatus('Set the "port" option: juju config webapp port=8080'));
    return;
  }
  const connection = await new DatabaseRequirer().connect();
  if (connection === undefined) return;
  status.add(new status.MaintenanceStatus(`Starting the web server on port ${String(port)}`));
  // … write its configuration and (re)start it …
}

/** The `restart` action: shows progress, and leaves the unit's status as it found it. */
async function restart(): Promise<void> {
  status.add(new status.MaintenanceStatus('Restarting the web server'));
  // … restart it …
  await actionSet({ restarted: 'true' });
}

await status.reconcile(reconcileWebapp, {
  exitStatus: () => new status.ActiveStatus(`Serving on :${String(port)}`),
  errorStatus: new status.BlockedStatus('A hook failed: see juju debug-log'),
  application: true,
  actions: { restart },
});
