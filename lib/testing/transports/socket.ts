// The door of the tool executables: each simulated tool on a hook's PATH is a short bash
// script that starts no Node process. It hands its arguments and the hook variables tools
// read (HOOK_VARIABLES) to the simulator's model, in the test's process, over a loopback socket only
// that process listens on, and prints the answer. A secret per simulator, written only into
// its own tool script (in a folder only this user can read), keeps every other process out:
// a connection is dropped at its first line unless that is the secret, and nothing more of it
// is read before.
//
// The exchange, one connection per call (lengths in bytes):
//   model → tool   hello\n                       at once, so that the tool can tell a process
//                                                  that is blocked (a synchronous call) from one
//                                                  that is working on its answer
//   tool → model   <secret>\n<tool>\n<argc>\n(<length>\n<argument>)…<envc>\n(<length>\n<NAME=value>)…
//   model → tool   answer <exit> <stderr lines> <stderr ends in \n> <stdout lines, or -1> <stdout ends in \n>\n
//                    then the stderr lines, then the stdout lines (or, for -1, stdout to the end)
//                | signal <NAME>\n              the tool kills itself with it
//                | input\n<path>\n<token>\n     what --file names (- is stdin): the tool sends it
//                                                  on a connection of its own, byte for byte, NULs
//                                                  included, and ends it:
//   tool → model   <secret>\n@input\n<token>\n<bytes> | <secret>\n@missing\n<token>\n
//                                                  and the model answers the call
//                | exec <id>\n<path>\n          the tool runs an added executable, then reports:
//   tool → model   <secret>\n@ran\n<id>\n<exit>\n   and the model answers ok\n
// A call told to hang gets no answer until the test's timeout kills the tool or the simulator
// ends (the connection then closes, and the tool says so).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type Server, type Socket, createServer } from 'node:net';
import { dirname } from 'node:path';

import type { ToolReply } from '../../hook.js';
import type { FileReader, JujuModel } from '../model.js';
import { HOOK_VARIABLES, ToolExit } from '../tools/tool.js';

/** Past this, or with a NUL in it, stdout is streamed to the end instead of read line by line. */
const LINES_MAX_BYTES = 4096;
/** The most read of a connection before its first line (the secret) has been checked. */
const SECRET_MAX_BYTES = 128;
/**
 * How long a tool waits for the greeting before it says its simulator's process is blocked:
 * for a call the test process made itself (its parent), and for one from a hook's process.
 */
const GREETING_S = { direct: 3, hook: 30 };

/** One call, as a tool script sent it. */
interface Request {
  readonly secret: Buffer;
  readonly tool: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** @internal */
export class ToolServer {
  readonly #secret = Buffer.from(randomBytes(24).toString('hex'));
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Files the model asked for, by token, awaiting the connection that brings them. */
  readonly #uploads = new Map<string, (data: Buffer | undefined) => void>();

  constructor(model: JujuModel) {
    this.#server = createServer((socket) => {
      this.#serve(model, socket);
    });
  }

  /** Listens on a free loopback port for the calls of the model's tool scripts. */
  async listen(): Promise<void> {
    const server = this.#server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // The simulator's tools must never keep a test process alive on their own.
    server.unref();
  }

  /** The loopback port the tools call. */
  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /**
   * The one executable every tool name links to: it reads the socket's port from `portFile`,
   * written once the server listens.
   */
  script(portFile: string): string {
    return toolScript(portFile, this.#secret.toString());
  }

  /** Stops listening and ends every connection, a hung call's included. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  #serve(model: JujuModel, socket: Socket): void {
    this.#sockets.add(socket);
    socket.unref();
    const abort = new AbortController();
    socket.on('close', () => {
      this.#sockets.delete(socket);
      abort.abort();
    });
    socket.on('error', () => undefined); // a tool killed mid-call: its close ends it
    socket.write('hello\n');
    let received = Buffer.alloc(0);
    let handled = false;
    let trusted = false;
    /** The bytes of a file this connection brings, once it said which. */
    let upload: Buffer[] | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (upload !== undefined) {
        upload.push(chunk);
        return;
      }
      received = Buffer.concat([received, chunk]);
      if (!trusted) {
        const end = received.indexOf(0x0a);
        if (end < 0 && received.length <= SECRET_MAX_BYTES) return;
        const secret = received.subarray(0, Math.max(end, 0));
        if (end < 0 || secret.length !== this.#secret.length || !timingSafeEqual(secret, this.#secret)) {
          socket.destroy();
          return;
        }
        trusted = true;
      }
      if (handled) return;
      const sent = parseUpload(received);
      if (sent !== undefined) {
        handled = true;
        const deliver = this.#uploads.get(sent.token);
        this.#uploads.delete(sent.token);
        if (!sent.present) {
          deliver?.(undefined);
          socket.end();
          return;
        }
        const parts = [received.subarray(sent.next)];
        upload = parts;
        socket.on('end', () => {
          deliver?.(Buffer.concat(parts));
          socket.end();
        });
        return;
      }
      const ran = parseRan(received);
      const request = ran === undefined ? parseRequest(received) : undefined;
      if (ran === undefined && request === undefined) return;
      handled = true;
      if (request?.tool === '') {
        socket.destroy(); // malformed
        return;
      }
      if (ran !== undefined) {
        model.ran(ran.id, ran.exitCode);
        socket.end('ok\n');
        return;
      }
      // What --file names, read by the tool where it runs (its folder, its stdin), and sent
      // whole on a connection of its own.
      const read = (path: string): Promise<string> =>
        new Promise((resolve, reject) => {
          if (path.includes('\n')) {
            reject(new ToolExit(1, `open ${path}: no such file or directory`));
            return;
          }
          const token = randomBytes(12).toString('hex');
          this.#uploads.set(token, (data) => {
            if (data === undefined) reject(new ToolExit(1, `open ${path}: no such file or directory`));
            else resolve(data.toString('utf8'));
          });
          abort.signal.addEventListener('abort', () => this.#uploads.delete(token), { once: true });
          socket.write(`input\n${path}\n${token}\n`);
        });
      if (request !== undefined) void this.#answer(model, socket, request, abort.signal, read);
    });
  }

  async #answer(
    model: JujuModel,
    socket: Socket,
    request: Request,
    abort: AbortSignal,
    read: FileReader,
  ): Promise<void> {
    const decision = await model.decide(request.tool, request.args, request.env, abort, read);
    switch (decision.kind) {
      case 'reply':
        socket.end(encodeReply(decision.reply));
        return;
      case 'signal':
        socket.end(`signal ${decision.signal}\n`);
        return;
      case 'exec':
        socket.end(`exec ${String(decision.id)}\n${decision.executable}\n`);
        return;
      case 'hang':
        await model.hang(abort);
        socket.destroy();
        return;
    }
  }
}

/** A reply, as the tool script reads it. */
function encodeReply({ exitCode, stdout, stderr }: ToolReply): Buffer {
  const err = lines(stderr.replaceAll('\0', ''));
  const streamed = stdout.includes('\0') || Buffer.byteLength(stdout) > LINES_MAX_BYTES;
  const out = streamed ? undefined : lines(stdout);
  const head = `answer ${String(exitCode ?? 1)} ${String(err.lines.length)} ${err.newline} ${out === undefined ? '-1 0' : `${String(out.lines.length)} ${out.newline}`}\n`;
  const body = [...err.lines, ...(out?.lines ?? [])].map((line) => `${line}\n`).join('');
  return Buffer.concat([Buffer.from(head + body), Buffer.from(streamed ? stdout : '')]);
}

function lines(text: string): { lines: string[]; newline: 0 | 1 } {
  if (text === '') return { lines: [], newline: 0 };
  const newline = text.endsWith('\n');
  return { lines: (newline ? text.slice(0, -1) : text).split('\n'), newline: newline ? 1 : 0 };
}

/** Reads `<length>\n<bytes>` at `at`; `undefined` until all of it arrived. */
function field(data: Buffer, at: number): { value: Buffer; next: number } | undefined {
  const line = data.indexOf(0x0a, at);
  if (line < 0) return undefined;
  const length = Number(data.subarray(at, line).toString());
  if (!Number.isInteger(length) || length < 0) throw new Error('a malformed hook tool request');
  const end = line + 1 + length;
  if (data.length < end) return undefined;
  return { value: data.subarray(line + 1, end), next: end };
}

/** Reads a `\n`-ended line at `at`. */
function lineAt(data: Buffer, at: number): { value: string; next: number } | undefined {
  const end = data.indexOf(0x0a, at);
  return end < 0 ? undefined : { value: data.subarray(at, end).toString(), next: end + 1 };
}

function parseRequest(data: Buffer): Request | undefined {
  try {
    const secret = lineAt(data, 0);
    const tool = secret && lineAt(data, secret.next);
    const argc = tool && lineAt(data, tool.next);
    if (secret === undefined || tool === undefined || argc === undefined) return undefined;
    let at = argc.next;
    const args: string[] = [];
    for (let i = 0; i < Number(argc.value); i += 1) {
      const arg = field(data, at);
      if (arg === undefined) return undefined;
      args.push(arg.value.toString());
      at = arg.next;
    }
    const envc = lineAt(data, at);
    if (envc === undefined) return undefined;
    at = envc.next;
    const env: Record<string, string> = {};
    for (let i = 0; i < Number(envc.value); i += 1) {
      const pair = field(data, at);
      if (pair === undefined) return undefined;
      const text = pair.value.toString();
      const eq = text.indexOf('=');
      env[text.slice(0, eq)] = text.slice(eq + 1);
      at = pair.next;
    }
    return { secret: Buffer.from(secret.value), tool: tool.value, args, env };
  } catch {
    return { secret: Buffer.alloc(0), tool: '', args: [], env: {} }; // refused: no secret
  }
}

/** `<secret>\n@input|@missing\n<token>\n`: the head of a connection that brings a file. */
function parseUpload(data: Buffer): { token: string; present: boolean; next: number } | undefined {
  const secret = lineAt(data, 0);
  const kind = secret && lineAt(data, secret.next);
  if (kind?.value !== '@input' && kind?.value !== '@missing') return undefined;
  const token = lineAt(data, kind.next);
  if (token === undefined) return undefined;
  return { token: token.value, present: kind.value === '@input', next: token.next };
}

function parseRan(data: Buffer): { secret: Buffer; id: number; exitCode: number } | undefined {
  const secret = lineAt(data, 0);
  const kind = secret && lineAt(data, secret.next);
  if (kind?.value !== '@ran') return undefined;
  const id = lineAt(data, kind.next);
  const code = id && lineAt(data, id.next);
  if (secret === undefined || code === undefined || id === undefined) return undefined;
  return { secret: Buffer.from(secret.value), id: Number(id.value), exitCode: Number(code.value) };
}

/**
 * The bash script every tool name links to (its name is the tool's). bash, not sh: it alone of
 * the shells on every Linux reaches a socket without another process (`/dev/tcp`). Lengths are
 * counted in bytes (`LC_ALL=C`), restored for an added executable, which gets the call's own
 * environment. It waits for the greeting a bounded time, so that a call its own simulator's
 * process cannot serve (that process blocked in `execFileSync`) fails and says why, instead of
 * hanging for ever.
 */
function toolScript(portFile: string, secret: string): string {
  const host = String(process.pid);
  const blocked = `is blocked, most likely in a synchronous call (execFileSync, spawnSync) of this tool from the test or from a charm run in it: call hook tools asynchronously (execFile, or the functions of charms-contextual-status/hook-tools)`;
  return `#!/bin/bash
# A hook tool of a HookToolsSimulator (charms-contextual-status/testing), named by the link that
# runs it: hands the call to the simulator in the test's process ${host} and prints its answer.
# Made by the simulator; gone with it.
tool=\${0##*/}
fail() { printf 'ERROR %s\\n' "$*" >&2; exit 1; }
if [ "$PPID" = ${host} ]; then wait=${String(GREETING_S.direct)}; else wait=${String(GREETING_S.hook)}; fi
# The port is written once the socket listens, a moment after the tools are made; a process
# that stays blocked since then never writes it.
waited=0
until { IFS= read -r port <${shellQuote(portFile)}; } 2>/dev/null; do
  [ -d ${shellQuote(dirname(portFile))} ] ||
    fail "$tool cannot reach its hook tools simulator: the test that made it has ended or cleaned it up"
  [ "$waited" -lt $((wait * 100)) ] ||
    fail "$tool: its hook tools simulator (process ${host}) has not begun to listen within $wait s: that process ${blocked}"
  sleep 0.01; waited=$((waited + 1))
done
reach() { { exec 3<>/dev/tcp/127.0.0.1/$port; } 2>/dev/null ||
  fail "$tool cannot reach its hook tools simulator (127.0.0.1:$port): the test that made it has ended or cleaned it up"; }
greeted() { IFS= read -r -t "$wait" hello <&3 && [ "$hello" = hello ] ||
  fail "$tool: its hook tools simulator (process ${host}) did not answer within $wait s: that process ${blocked}"; }
copy() {
  local i=0 line
  while [ "$i" -lt "$1" ]; do
    IFS= read -r line <&3 || fail "$tool: its hook tools simulator ended before it answered"
    i=$((i + 1))
    if [ "$i" -lt "$1" ] || [ "$2" = 1 ]; then printf '%s\\n' "$line"; else printf '%s' "$line"; fi
  done
}
had_lc=\${LC_ALL+x} saved_lc=\${LC_ALL-}
LC_ALL=C
request="${secret}"$'\\n'"$tool"$'\\n'"$#"$'\\n'
for arg in "$@"; do request+="\${#arg}"$'\\n'"$arg"; done
names=()
for name in ${HOOK_VARIABLES.join(' ')}; do [ -n "\${!name+x}" ] && names+=("$name"); done
request+="\${#names[@]}"$'\\n'
for name in "\${names[@]}"; do pair="$name=\${!name}"; request+="\${#pair}"$'\\n'"$pair"; done
# A refused call (the simulator drops a connection whose secret is wrong as soon as it reads
# it) ends in an ERROR line, not in SIGPIPE.
trap '' PIPE
reach
printf '%s' "$request" >&3 2>/dev/null
greeted
while :; do
IFS=' ' read -r kind code errors errnl outputs outnl <&3 ||
  fail "$tool: its hook tools simulator ended before it answered"
case $kind in
input)
  # The model asks for what --file names: stdin (-), or a file where this tool runs. It goes
  # byte for byte on a connection of its own, which ends where the file does.
  IFS= read -r path <&3
  IFS= read -r token <&3
  { exec 4<>/dev/tcp/127.0.0.1/$port; } 2>/dev/null ||
    fail "$tool cannot reach its hook tools simulator (127.0.0.1:$port): the test that made it has ended or cleaned it up"
  IFS= read -r -t "$wait" _ <&4
  if [ "$path" = - ]; then printf '%s\\n@input\\n%s\\n' "${secret}" "$token" >&4; cat >&4
  elif [ -r "$path" ] && [ -f "$path" ]; then printf '%s\\n@input\\n%s\\n' "${secret}" "$token" >&4; cat -- "$path" >&4
  else printf '%s\\n@missing\\n%s\\n' "${secret}" "$token" >&4; fi
  exec 4>&-
  continue ;;
answer)
  copy "$errors" "$errnl" >&2
  if [ "$outputs" = -1 ]; then cat <&3; else copy "$outputs" "$outnl"; fi
  exit "$code" ;;
signal)
  kill -s "$code" $$
  exit 1 ;;
exec)
  IFS= read -r executable <&3
  exec 3<&-
  if [ -n "$had_lc" ]; then LC_ALL=$saved_lc; else unset LC_ALL; fi
  trap - PIPE
  "$executable" "$@"
  status=$?
  trap '' PIPE
  LC_ALL=C
  reach
  printf '%s\\n@ran\\n%s\\n%s\\n' "${secret}" "$code" "$status" >&3
  greeted
  read -r _ <&3
  exit "$status" ;;
*) fail "$tool: its hook tools simulator answered what this tool cannot read" ;;
esac
done
`;
}

/** `text` as one bash word, quoted. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
