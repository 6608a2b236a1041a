// The few hook tools this charm reads its world with. A charm framework would provide these;
// the status library only needs status-set and juju-log, which it runs itself.
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

/** What `member` (a unit or application) has shared on relation `id`. */
export async function relationData(id: string, member: string): Promise<Record<string, string>> {
  return (await json<Record<string, string> | null>('relation-get', '-r', id, '-', member)) ?? {};
}
