// The Kubernetes spec charm's entry point, for runs through dispatch.
import { reconcile } from '../../../lib/index.js';
import { charm } from './charm.js';

void reconcile(charm.reconcile, charm.options);
