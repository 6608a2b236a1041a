// Commands run with exec in a simulated container: answered by the declared command whose
// prefix is longest, over the task's websockets as Pebble speaks them (the command starts once
// the client connected control, stdio and stderr; output as binary messages, each stream and
// stdin ended by the text `{"command":"end"}`; the exit code in the change's task).

import type { PebbleSocket } from '../../pebble/transport.js';
import type { SimulatedExec } from '../state/containers.js';

const END = '{"command":"end"}';
/** How long Pebble waits for the websockets before it gives up on the command. */
const CONNECT_MS = 5000;

interface Session {
  readonly change: string;
  readonly command: readonly string[];
  readonly answer: SimulatedExec | undefined;
  readonly sockets: Partial<Record<'control' | 'stdio' | 'stderr', PebbleSocket>>;
  readonly timer: NodeJS.Timeout;
  stdinEnded: boolean;
}

/**
 * The declared command whose prefix of the command is longest; `[]` matches any.
 *
 * @internal
 */
export function answerOf(
  command: readonly string[],
  execs: readonly SimulatedExec[],
): SimulatedExec | undefined {
  let best: SimulatedExec | undefined;
  for (const exec of execs) {
    const fits =
      exec.command.length <= command.length && exec.command.every((word, i) => command[i] === word);
    if (fits && (best === undefined || exec.command.length > best.command.length)) best = exec;
  }
  return best;
}

/** @internal */
export class ExecSessions {
  readonly #sessions = new Map<string, Session>();
  /** A session ended: its change's exit code, or `null` when it never ran. */
  readonly #ended: (change: string, exitCode: number | null) => void;

  constructor(ended: (change: string, exitCode: number | null) => void) {
    this.#ended = ended;
  }

  start(task: string, change: string, command: readonly string[], execs: readonly SimulatedExec[]): void {
    const timer = setTimeout(() => {
      this.#sessions.delete(task);
      this.#ended(change, null);
    }, CONNECT_MS);
    timer.unref();
    this.#sessions.set(task, {
      change,
      command,
      answer: answerOf(command, execs),
      sockets: {},
      timer,
      stdinEnded: false,
    });
  }

  /** Takes the server's end of one of a task's websockets; `false` for no such task. */
  connect(task: string, name: 'control' | 'stdio' | 'stderr', socket: PebbleSocket): boolean {
    const session = this.#sessions.get(task);
    if (session === undefined || session.sockets[name] !== undefined) return false;
    session.sockets[name] = socket;
    if (name === 'stdio') {
      socket.onMessage((data) => {
        if (typeof data === 'string' && data === END) {
          session.stdinEnded = true;
          this.#run(task, session);
        }
      });
    }
    this.#run(task, session);
    return true;
  }

  /** Runs a session's command once every websocket is there and stdin has ended. */
  #run(task: string, session: Session): void {
    const { control, stdio, stderr } = session.sockets;
    if (control === undefined || stdio === undefined || stderr === undefined || !session.stdinEnded) return;
    clearTimeout(session.timer);
    this.#sessions.delete(task);
    const answer = session.answer;
    // The program is there (the request was accepted) but no declared command's words match.
    const exitCode = answer === undefined ? 127 : (answer.exitCode ?? 0);
    const out = answer?.stdout ?? '';
    const err =
      answer === undefined
        ? `no command declared for ${JSON.stringify(session.command.join(' '))}: declare it in the container's execs\n`
        : (answer.stderr ?? '');
    if (out !== '') stdio.send(new TextEncoder().encode(out));
    stdio.send(END);
    if (err !== '') stderr.send(new TextEncoder().encode(err));
    stderr.send(END);
    this.#ended(session.change, exitCode);
  }

  close(): void {
    for (const session of this.#sessions.values()) clearTimeout(session.timer);
    this.#sessions.clear();
  }
}
