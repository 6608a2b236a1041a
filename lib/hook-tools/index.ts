// charms-contextual-status/hook-tools: one typed function per Juju hook tool, for the charm
// itself, each through the main entry's one runner (its HookToolError, its time-out; answered
// in process in a test's in-process run). Status and logging stay in the main entry
// (HookToolUnit, jujuLog, reconcile).

export { actionFail, actionGet, actionLog, actionSet, type ActionResults } from './actions.js';
export { configGet, isLeader } from './config.js';
export {
  relationGet,
  relationIds,
  relationList,
  relationSet,
  type RelationDataOptions,
  type RelationId,
} from './relations.js';
export { stateDelete, stateGet, stateSet } from './state.js';
export { hookEnvironment } from './environment.js';
