// The tool executables on a hook's PATH: bash scripts that hand each call to the simulator in
// the test process over a loopback socket. What crosses must arrive verbatim both ways, only
// the simulator's own scripts may speak to it, and a script that cannot reach it says so.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';

import { HookToolsSimulator } from '../../../lib/testing/index.js';

interface Ran {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function call(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((done) => {
    execFile(file, args, { env, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
        signal: error?.signal ?? null,
        stdout,
        stderr,
      });
    });
  });
}

describe('HookToolsSimulator, its tool executables', function () {
  this.timeout(20_000);
  let simulator: HookToolsSimulator;
  const tool = (name: string, ...args: string[]): Promise<Ran> =>
    call(join(simulator.dir, name), args, simulator.env);

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ leader: true });
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  it('hand every argument over verbatim: newlines, leading dashes, empty, non-ASCII, quotes', async () => {
    const message = 'line one\nline two -x --y \'"$HOME` ü 🚀 \\ end';
    expect((await tool('status-set', '--', 'blocked', message)).code).to.equal(0);
    expect((await simulator.calls('status-set'))[0]?.args).to.deep.equal(['--', 'blocked', message]);
    expect(String(await simulator.status())).to.equal(`blocked: ${message}`);
    expect((await tool('juju-log', '--', '')).code).to.equal(0);
    expect((await simulator.logs())[0]?.message).to.equal('');
  });

  it('print the answer verbatim: several lines, no final newline, and long outputs streamed', async () => {
    await simulator.addTool('multi', {
      stdout: 'a\n\n b \nlast',
      stderr: 'WARNING one\nERROR two\n',
      exitCode: 3,
    });
    expect(await tool('multi')).to.deep.equal({
      code: 3,
      signal: null,
      stdout: 'a\n\n b \nlast',
      stderr: 'WARNING one\nERROR two\n',
    });
    const long = `${'x'.repeat(10_000)}\n${'ü'.repeat(3000)}`;
    await simulator.setConfig({ long });
    const printed = await tool('config-get', 'long');
    expect(printed.stdout).to.equal(`${long}\n`);
  });

  it('hand --file over as state-set.go and relation-set.go read it: stdin for -, a file where the tool runs', async () => {
    const withInput = (name: string, args: string[], input: string, cwd?: string): Promise<Ran> =>
      new Promise((done) => {
        const child = execFile(
          join(simulator.dir, name),
          args,
          { env: simulator.env, encoding: 'utf8', ...(cwd === undefined ? {} : { cwd }) },
          (error, stdout, stderr) => {
            done({ code: error === null ? 0 : Number(error.code), signal: null, stdout, stderr });
          },
        );
        child.stdin?.end(input);
      });
    const long = `line one\nline two ${'x'.repeat(60_000)}`;
    expect(
      (
        await withInput(
          'state-set',
          ['--file', '-', 'b=from args'],
          JSON.stringify({ a: long, b: 'file', n: 7, z: null }),
        )
      ).code,
    ).to.equal(0);
    expect(await simulator.state()).to.deep.equal({ a: long, b: 'from args', n: '7', z: '' });
    const folder = await mkdtemp(join(tmpdir(), 'settings-'));
    try {
      await writeFile(join(folder, 'settings.yaml'), 'host: 10.0.0.7\nport: 5432\n');
      await simulator.setRelation('database:1', { 'postgresql/0': {} });
      expect(
        (await withInput('relation-set', ['-r', '1', '--file', 'settings.yaml'], '', folder)).code,
      ).to.equal(0);
      const data = await tool('relation-get', '-r', '1', '--format=json', '-', 'app/0');
      expect(JSON.parse(data.stdout)).to.deep.equal({ host: '10.0.0.7', port: '5432' });
      expect(await withInput('state-set', ['--file', 'missing.yaml'], '', folder)).to.deep.include({
        code: 1,
        stderr: 'ERROR open missing.yaml: no such file or directory\n',
      });
      expect((await withInput('state-set', ['--file', '-'], 'a: { nested: 1 }\n')).code).to.equal(1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('die of the signal failNext names, the call recorded with it', async () => {
    await simulator.failNext('is-leader', { signal: 'SIGTERM' });
    const ran = await tool('is-leader');
    expect(ran.signal).to.equal('SIGTERM');
    expect(await simulator.calls('is-leader')).to.deep.equal([
      { tool: 'is-leader', args: [], exitCode: null, signal: 'SIGTERM' },
    ]);
  });

  it('fail with an ERROR line and exit 1 when their simulator is gone, never hanging', async () => {
    const keep = await mkdtemp(join(tmpdir(), 'orphan-tool-'));
    try {
      await copyFile(join(simulator.dir, 'status-get'), join(keep, 'status-get'));
      await simulator.cleanup();
      const ran = await call(join(keep, 'status-get'), [], process.env);
      expect(ran.code).to.equal(1);
      expect(ran.stderr).to.match(
        /^ERROR status-get cannot reach its hook tools simulator: the test that made it has ended or cleaned it up/,
      );
    } finally {
      await rm(keep, { recursive: true, force: true });
    }
  });

  it('are the only ones the simulator answers: a wrong secret gets no answer and changes nothing', async () => {
    const script = await readFile(join(simulator.dir, 'status-set'), 'utf8');
    const forged = join(simulator.dir, 'forged');
    await writeFile(forged, script.replace(/request="[0-9a-f]+"/, `request="${'0'.repeat(48)}"`), {
      mode: 0o700,
    });
    const ran = await call(forged, ['active', 'forged'], simulator.env);
    expect(ran.code).to.equal(1);
    expect(ran.stderr).to.match(/ended before it answered/);
    expect(await simulator.calls()).to.deep.equal([]);
    expect(String(await simulator.status())).to.equal('unknown');
  });

  it('drop a connection that sends more than 128 bytes before its secret, reading no more of it', async () => {
    const env = simulator.env;
    await call(join(simulator.dir, 'is-leader'), [], env); // listening, the port written
    const port = Number((await readFile(join(simulator.dir, '..', 'port'), 'utf8')).trim());
    const dropped = await new Promise<{ closed: boolean; greeting: string }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let greeting = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (greeting += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        resolve({ closed: true, greeting });
      });
      // A megabyte with no line end: an unauthenticated peer never gets it buffered.
      socket.write('x'.repeat(1024 * 1024));
      setTimeout(() => {
        socket.destroy();
        resolve({ closed: false, greeting });
      }, 5_000);
    });
    expect(dropped).to.deep.equal({ closed: true, greeting: 'hello\n' });
    expect((await simulator.calls()).map((c) => c.tool)).to.deep.equal(['is-leader']);
  });

  it('refuse, in addTool(), a path that is not an executable file, and let failNext() fail an added tool', async () => {
    const missing = await simulator.addTool('add-metric', '/no/such/file').catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(TypeError);
    expect(String(missing)).to.match(/not an executable file/);
    await simulator.addTool('add-metric', {});
    await simulator.failNext('add-metric', { exitCode: 2, stderr: 'ERROR bad metric' });
    expect(await tool('add-metric', 'x=-1')).to.deep.include({ code: 2, stderr: 'ERROR bad metric\n' });
    expect((await tool('add-metric', 'x=1')).code).to.equal(0);
    expect(String(await simulator.failNext('leader-get').catch((e: unknown) => e))).to.match(
      /or a tool added with addTool\(\)/,
    );
  });
});
