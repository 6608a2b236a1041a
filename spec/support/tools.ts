// Calling a simulator's tool executables by name from a spec, as a hook finds them on PATH,
// and the world the tool specs share.
import { execFile } from 'node:child_process';

import { HookToolsSimulator, type SimulatorOptions } from '../../lib/testing/index.js';

/** What one tool call ended with. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool by name, found on the simulator's PATH as a hook would find it. */
export function tool(simulator: HookToolsSimulator, name: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(name, args, { env: simulator.env, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

/** A unit with configuration and a relation, for the tool specs that read them. */
export const TOOL_WORLD: SimulatorOptions = {
  unitName: 'webapp/0',
  config: { port: 8080, debug: true, name: null },
  relations: [
    {
      endpoint: 'database',
      id: 7,
      remoteUnits: { 'postgresql/0': { endpoint: 'db:5432' }, 'postgresql/1': {} },
      remoteAppData: { version: '16' },
    },
  ],
};

/**
 * A simulator made from `world` before each test of the enclosing `describe` and cleaned up
 * after it, with the suite's time-out: `simulator()` is the current test's.
 */
export function simulatorPerTest(world: SimulatorOptions): () => HookToolsSimulator {
  let current: HookToolsSimulator | undefined;
  beforeEach(async function () {
    this.timeout(60_000);
    current = await HookToolsSimulator.create(world);
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('simulatorPerTest(): no test is running');
    return current;
  };
}
