// The charm: one reconcile function that converges the unit on its configuration and
// relations, whatever the hook, and the options its entry point (main.ts) passes to
// reconcile(). Exported as `charm` so that tests run it in their own process
// (simulator.runHook(charm, …)) as well as through the packed dispatch.
//
// Written to run both ways unchanged: it reads its world with charms-contextual-status/hook-tools
// (answered in process in a test, by Juju's tools in a hook), and keeps nothing in module state
// across hooks. A hook's process ends with the hook; a test's process runs many hooks, so
// what one hook learns is reset at its start.
import * as status from 'charms-contextual-status';
import { actionSet, closePort, configGet, openPort, openedPorts } from 'charms-contextual-status/hook-tools';

import { DatabaseRequirer } from './database.js';
import { sessionKey } from './peers.js';

/** The port this hook serves on, for the exit status; reset at every hook's start. */
let port: number | undefined;

async function reconcileWebapp(hook: string): Promise<void> {
  port = undefined;
  if (hook === 'install') {
    status.add(new status.MaintenanceStatus('Installing packages'));
    // … install the web server's packages …
  }
  const value = await configGet('port');
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    status.add(new status.BlockedStatus('Set the "port" option: juju config webapp port=8080'));
    return;
  }
  // Every unit serves with the application's session key, and talks to the database.
  const key = await sessionKey();
  const connection = await new DatabaseRequirer().connect();
  if (key === undefined || connection === undefined) return;
  port = value;
  status.add(new status.MaintenanceStatus(`Starting the web server on port ${String(port)}`));
  // … write its configuration and (re)start it …
  // Open the port it serves on, and only that one (Juju applies both when the hook succeeds).
  for (const open of await openedPorts()) {
    if (open.protocol === 'tcp' && open.port !== port) await closePort(open);
  }
  await openPort({ port });
}

/** The `restart` action: shows progress, and leaves the unit's status as it found it. */
async function restart(): Promise<void> {
  status.add(new status.MaintenanceStatus('Restarting the web server'));
  // … restart it …
  await actionSet({ restarted: 'true' });
}

/** The charm, as its entry point runs it: `reconcile(charm.reconcile, charm.options)`. */
export const charm = {
  reconcile: reconcileWebapp,
  options: {
    exitStatus: () => new status.ActiveStatus(`Serving on :${String(port)}`),
    errorStatus: new status.BlockedStatus('A hook failed: see juju debug-log'),
    application: true,
    actions: { restart },
  },
} satisfies { reconcile: (hook: string) => unknown; options: status.ReconcileOptions };
