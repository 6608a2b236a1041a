// The charm's entry point: `dispatch` runs this once per hook or action, in a new process.
// reconcile() runs the charm's reconcile function in a status context, logs to
// `juju debug-log`, skips quiet update-status hooks, and routes actions to their handlers.
import { reconcile } from 'charms-contextual-status';

import { charm } from './charm.js';

await reconcile(charm.reconcile, charm.options);
