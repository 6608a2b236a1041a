export {
  HookToolsSimulator,
  SIMULATED_TOOLS,
  type HookToolCall,
  type InjectedFailure,
  type LogLine,
  type SimulatedTool,
  type SimulatorOptions,
} from './simulator.js';
