// The charm: one reconcile function for every hook, and the options its entry point (main.ts)
// passes to reconcile(). Exported as `charm` so that tests run it in their own process
// (simulator.runHook(charm, …)) as well as through the packed dispatch.
//
// A Kubernetes charm's status is mostly its workload's: checkWorkload() says Waiting while
// Pebble is not up yet, and reports nginx not running or its ready check down, with everything
// else added on the bus, in one resolved status per hook.
import * as status from 'charms-contextual-status';
import { configGet, setPorts } from 'charms-contextual-status/hook-tools';
import { Container, checkWorkload } from 'charms-contextual-status/pebble';

import { configure } from './nginx.js';

/** The charm's configuration, as charmcraft.yaml declares it (with defaults). */
interface Config {
  port: number;
  title: string;
}

/** The port this hook serves on, for the exit status; reset at every hook's start. */
let serving: number | undefined;

async function reconcileNginx(): Promise<void> {
  serving = undefined;
  const nginx = new Container('nginx');
  // Waiting for Pebble in nginx, until the workload container is up (pebble-ready follows).
  if (!(await checkWorkload(nginx)).reachable) return;
  const { port, title } = await configGet<Config>();
  if (!(await configure(nginx, { port, title }))) return;
  await setPorts([{ port }]);
  // nginx after replan: running, its ready check not down.
  const health = await checkWorkload(nginx);
  if (health.stopped.length === 0 && health.down.length === 0) serving = port;
}

/** The charm, as its entry point runs it: `reconcile(charm.reconcile, charm.options)`. */
export const charm = {
  reconcile: reconcileNginx,
  options: {
    exitStatus: () => new status.ActiveStatus(`Serving on :${String(serving)}`),
    errorStatus: new status.BlockedStatus('A hook failed: see juju debug-log'),
  },
} satisfies { reconcile: (hook: string) => unknown; options: status.ReconcileOptions };
