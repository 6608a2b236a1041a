// The few hook tools this charm reads its world with, beyond the status ones the library runs
// itself. A charm framework would provide these.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function json<T>(tool: string, ...args: string[]): Promise<T> {
  const { stdout } = await run(tool, ['--format=json', ...args]);
  return JSON.parse(stdout) as T;
}

/** The charm's configuration, as `config-get` serves it. */
export function config(): Promise<Record<string, unknown>> {
  return json('config-get');
}

/** The ids of the relations on `endpoint`, such as `['database:1']`. */
export function relationIds(endpoint: string): Promise<string[]> {
  return json('relation-ids', endpoint);
}

/** The remote units on relation `id`, such as `['postgresql/0']`. */
export function relationUnits(id: string): Promise<string[]> {
  return json('relation-list', '-r', id);
}

/** What `unit` has shared on relation `id`. */
export async function relationData(id: string, unit: string): Promise<Record<string, string>> {
  return (await json<Record<string, string> | null>('relation-get', '-r', id, '-', unit)) ?? {};
}

/** Sets the results of the running action. */
export async function actionSet(results: Record<string, string>): Promise<void> {
  await run(
    'action-set',
    Object.entries(results).map(([key, value]) => `${key}=${value}`),
  );
}
