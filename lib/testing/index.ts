export {
  HookToolsSimulator,
  SIMULATED_TOOLS,
  type ActionRun,
  type CannedAnswer,
  type HookRun,
  type HookToolCall,
  type InjectedFailure,
  type LogLine,
  type RunHookOptions,
  type SimulatedRelation,
  type SimulatedTool,
  type SimulatorOptions,
} from './simulator.js';
