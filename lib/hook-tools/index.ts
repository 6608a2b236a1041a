// charms-contextual-status/hook-tools: one typed function per Juju hook tool, for the charm
// itself, each through the main entry's one runner (its HookToolError, its time-out; answered
// in process in a test's in-process run). Status and logging are here as single calls; the main entry's
// HookToolUnit, jujuLog and reconcile() order and coalesce them.

export { actionFail, actionGet, actionLog, actionSet, type ActionResults } from './actions.js';
export { configGet, isLeader } from './config.js';
export {
  relationGet,
  relationIds,
  relationList,
  relationModelGet,
  relationSet,
  remoteApplication,
  type RelationDataOptions,
  type RelationId,
  type RelationModel,
} from './relations.js';
export { stateDelete, stateGet, stateSet } from './state.js';
export { closePort, openPort, openedPorts, setPorts, type OpenedPortsOptions, type Port } from './ports.js';
export {
  secretAdd,
  secretGet,
  secretGrant,
  secretIds,
  secretInfoGet,
  secretRemove,
  secretRevoke,
  secretSet,
  type SecretAccess,
  type SecretGetOptions,
  type SecretGrantOptions,
  type SecretInfo,
  type SecretInfoGetOptions,
  type SecretOptions,
  type SecretRemoveOptions,
  type SecretRevokeOptions,
  type SecretRotate,
  type SecretSetOptions,
} from './secrets.js';
export { storageAdd, storageGet, storageList, type Storage } from './storage.js';
export {
  applicationName,
  applicationVersionSet,
  credentialGet,
  goalState,
  jujuReboot,
  networkGet,
  resourceGet,
  type Address,
  type BindAddress,
  type CloudCredential,
  type CloudSpec,
  type Goal,
  type GoalState,
  type JujuRebootOptions,
  type Network,
  type NetworkGetOptions,
} from './unit.js';
export {
  jujuLogMessage,
  statusGet,
  statusSet,
  type ApplicationStatusInfo,
  type LogMessageOptions,
  type StatusInfo,
  type StatusOptions,
} from './status.js';
export { hookEnvironment } from './environment.js';
// The refusals a charm handles, from the main entry: one class each, whichever entry a charm
// imports them from.
export { HookToolError, NotLeaderError, PermissionDeniedError, SecretNotFoundError } from '../index.js';
