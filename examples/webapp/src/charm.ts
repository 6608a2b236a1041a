// The charm's entry point: `dispatch` runs this once per hook, in a new process.
import * as status from 'charms-contextual-status';

import { DatabaseRequirer } from './database.js';
import { config } from './hook-tools.js';

const hook = (process.env.JUJU_DISPATCH_PATH ?? 'hooks/unknown').replace(/^hooks\//, '');

async function reconcile(port: number | undefined): Promise<void> {
  if (hook === 'install') {
    status.add(new status.MaintenanceStatus('Installing packages'));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  if (port === undefined) {
    status.add(new status.BlockedStatus('Set the "port" option: juju config webapp port=8080'));
    return;
  }
  const connection = await new DatabaseRequirer().connect();
  if (connection === undefined) return;
  status.add(new status.MaintenanceStatus(`Starting the web server on port ${String(port)}`));
  await new Promise((resolve) => setTimeout(resolve, 20));
}

async function main(): Promise<void> {
  // Every status event also lands in `juju debug-log`.
  const detach = status.jujuLog(status.bus, { levels: { open: false } });
  try {
    const { port } = await config();
    const valid = typeof port === 'number' && Number.isInteger(port) && port > 0 ? port : undefined;
    await status.context(new status.HookToolUnit(), () => reconcile(valid), {
      exitStatus: new status.ActiveStatus(valid === undefined ? 'Ready' : `Serving on :${String(valid)}`),
      errorStatus: new status.BlockedStatus(`The ${hook} hook failed: see juju debug-log`),
    });
  } catch (error) {
    // A ReconcilerError is an expected condition, already reported as a status: the hook
    // succeeds, and Juju runs the next one. Anything else fails the hook.
    if (!(error instanceof status.ReconcilerError)) throw error;
  } finally {
    await detach();
  }
}

await main();
