// The charm's entry point: `dispatch` runs this once per hook, in a new process. reconcile()
// runs the charm's reconcile function in a status context, logs to `juju debug-log`, and skips
// quiet update-status hooks.
import { reconcile } from 'charms-contextual-status';

import { charm } from './charm.js';

// Not awaited at the top level, so that the same file bundles as an ES module or CommonJS:
// Node keeps the process alive until the hook's work is done, and reconcile() sets the exit code.
void reconcile(charm.reconcile, charm.options);
