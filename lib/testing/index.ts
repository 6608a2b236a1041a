export {
  type ApplicationOptions,
  SettleError,
  type SettleOptions,
  type SettledRun,
  SimulatedApplication,
} from './application.js';
export { HookToolsSimulator, SIMULATED_TOOLS, type SimulatedTool } from './simulator.js';
export type {
  CannedAnswer,
  Charm,
  HookRelation,
  InjectedFailure,
  RunActionOptions,
  RunHookOptions,
  SimulatedRelation,
  SimulatorOptions,
} from './options.js';
export type { ActionRun, HookRun, HookToolCall, LogLine } from './run.js';
export type {
  SecretGrant,
  SimulatedCheck,
  SimulatedContainer,
  SimulatedExec,
  SimulatedFile,
  SimulatedNotice,
  SimulatedCredential,
  SimulatedInterface,
  SimulatedNetwork,
  SimulatedPort,
  SimulatedSecret,
  SimulatedStorage,
} from './state/index.js';
