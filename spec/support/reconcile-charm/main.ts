// The charm's entry point, as its dispatch runs it.
import { reconcile } from '../../../lib/index.js';
import { charm } from './charm.js';

await reconcile(charm.reconcile, charm.options);
