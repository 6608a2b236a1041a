export {
  HookToolsSimulator,
  SIMULATED_TOOLS,
  type ActionRun,
  type CannedAnswer,
  type Charm,
  type HookRelation,
  type HookRun,
  type HookToolCall,
  type InjectedFailure,
  type LogLine,
  type RunActionOptions,
  type RunHookOptions,
  type SimulatedRelation,
  type SimulatedTool,
  type SimulatorOptions,
} from './simulator.js';
export type {
  SimulatedCredential,
  SimulatedNetwork,
  SimulatedPort,
  SimulatedSecret,
  SimulatedStorage,
} from './declared.js';
