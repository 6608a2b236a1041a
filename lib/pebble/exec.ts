// Running a command in the workload container (`POST /v1/exec`): Pebble starts it once the
// client has connected the task's websockets (control, stdio, and stderr apart), streams its
// output as binary messages, each stream ended by the text message `{"command":"end"}` (the
// same ends stdin), and records its exit code in the change's task (`exit-code`), as ops'
// `ExecProcess` reads it.

import { describeValue } from '../describe.js';
import { type Api, call, waitChange } from './api.js';
import { ExecError, PebbleError, TimeoutError } from './errors.js';
import type { PebbleSocket } from './transport.js';
import type { ExecOptions, ExecResult } from './types.js';

const END = '{"command":"end"}';

/** Whether a text message is the end of a stream: `{"command":"end"}`, however spaced. */
function isEnd(text: string): boolean {
  if (text === END) return true;
  try {
    return (JSON.parse(text) as { command?: unknown } | null)?.command === 'end';
  } catch {
    return false; // not a command: nothing a stream ends on
  }
}

/** Collects a stream's bytes until its end message (or the socket closes). */
function drain(socket: PebbleSocket): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    const done = (): void => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    socket.onMessage((data) => {
      if (typeof data !== 'string') chunks.push(data);
      else if (isEnd(data)) done();
    });
    socket.onClose(done);
  });
}

/** @internal */
export async function execute(api: Api, command: string[], options: ExecOptions): Promise<ExecResult> {
  if (!Array.isArray(command) || command.length === 0 || !command.every((w) => typeof w === 'string')) {
    throw new TypeError(
      `exec() takes a command as an array of strings, such as ["ls", "-l"], got ${describeValue(command)}`,
    );
  }
  const { environment = {}, workingDir, timeoutMs, stdin } = options;
  if (typeof environment !== 'object' || !Object.values(environment).every((v) => typeof v === 'string')) {
    throw new TypeError(`exec() environment maps names to strings, got ${describeValue(environment)}`);
  }
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0))) {
    throw new TypeError(
      `exec() timeoutMs is a number of milliseconds above 0, got ${describeValue(timeoutMs)}`,
    );
  }
  if (stdin !== undefined && typeof stdin !== 'string' && !(stdin instanceof Uint8Array)) {
    throw new TypeError(`exec() stdin is a string or a Uint8Array, got ${describeValue(stdin)}`);
  }
  const { result, change } = await call(api, 'POST', '/v1/exec', {
    command,
    environment,
    ...(workingDir === undefined ? {} : { 'working-dir': workingDir }),
    ...(timeoutMs === undefined ? {} : { timeout: `${String(timeoutMs)}ms` }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.userId === undefined ? {} : { 'user-id': options.userId }),
    ...(options.group === undefined ? {} : { group: options.group }),
    ...(options.groupId === undefined ? {} : { 'group-id': options.groupId }),
    'split-stderr': true,
  });
  const task = (result as { 'task-id'?: unknown } | undefined)?.['task-id'];
  if (typeof task !== 'string' || change === undefined) {
    throw new PebbleError('Pebble answered exec with no task to connect to', {
      method: 'POST',
      path: '/v1/exec',
    });
  }
  const transport = api.transport();
  const url = (name: string): string => `/v1/tasks/${encodeURIComponent(task)}/websocket/${name}`;
  const sockets = await Promise.all(
    ['control', 'stdio', 'stderr'].map((n) => transport.websocket(url(n), api.timeoutMs)),
  );
  const [control, stdio, stderr] = sockets as [PebbleSocket, PebbleSocket, PebbleSocket];
  try {
    const out = drain(stdio);
    const err = drain(stderr);
    if (stdin !== undefined) stdio.send(typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin);
    stdio.send(END);
    const limit = (timeoutMs ?? api.timeoutMs) + api.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const [stdout, errors] = await Promise.race([
      Promise.all([out, err]),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new TimeoutError(
              `Pebble in ${api.container}: ${command.join(' ')} did not end within ${String(limit)} ms`,
              { method: 'POST', path: '/v1/exec' },
            ),
          );
        }, limit);
      }),
    ]).finally(() => {
      clearTimeout(timer);
    });
    const done = await waitChange(api, change, 'POST', '/v1/exec');
    const code = done.tasks[0]?.data?.['exit-code'];
    const exitCode = typeof code === 'number' ? code : -1;
    if (exitCode !== 0) {
      throw new ExecError(
        `${command.join(' ')} exited with code ${String(exitCode)}${errors === '' ? '' : `: ${errors.trim().split('\n').at(-1) ?? ''}`}`,
        {
          method: 'POST',
          path: '/v1/exec',
          command,
          exitCode,
          stdout,
          stderr: errors,
        },
      );
    }
    return { exitCode, stdout, stderr: errors };
  } finally {
    for (const socket of [control, stdio, stderr]) socket.close();
  }
}
