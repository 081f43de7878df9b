// A real `spotfarm manager` (on loopback, port 0, a fleet of local workers that render with
// Blender) for the browser tests, and the API as a script would use it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const here = new URL('.', import.meta.url).pathname;
export const build = resolve(process.env.SPOTFARM_BUILD_DIR || join(here, '../../build'));
export const exe = process.env.SPOTFARM_EXE || join(build, 'spotfarm');
export const scenes = process.env.SPOTFARM_TEST_SCENES || join(build, 'test-scenes');
export const outputDir = process.env.SPOTFARM_BROWSER_OUTPUT || join(build, 'tests/browser-output');
export const chromium = process.env.SPOTFARM_CHROMIUM || '/usr/bin/chromium';

// Waits until `check()` returns something truthy; fails with `what` after `ms`.
export async function until(what, check, ms = 60000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
    } catch (e) {
      if (e.code === 'ERR_ASSERTION') throw e;  // a broken promise, not a state to wait out
      last = e;
    }
    if (last && !(last instanceof Error)) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

export async function startFarm({ workers = 2 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'spotfarm-browser-'));
  const state = join(dir, 'state');
  const portFile = join(dir, 'port');
  const log = [];
  const child = spawn(exe, ['manager', '--state-dir', state, '--listen', '127.0.0.1:0',
    '--port-file', portFile, '--provider', 'local', '--max', String(workers),
    '--frames-per-worker', '1', '--idle-grace', '600', '--lease-timeout', '20'],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const port = await until('the manager to listen', () => {
    if (exited) throw new Error(`the manager exited (${JSON.stringify(exited)}):\n${log.join('')}`);
    return existsSync(portFile) && readFileSync(portFile, 'utf8').trim();
  }, 30000);
  const url = `http://127.0.0.1:${port}`;
  const people = readFileSync(join(state, 'people.token'), 'utf8').trim();
  const join_ = readFileSync(join(state, 'worker-join.token'), 'utf8').trim();

  async function call(path, { method = 'GET', body, token = people } = {}) {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async function stop() {
    if (!exited) {
      // The manager stops its local workers (and their Blender) as it exits.
      process.kill(-child.pid, 'SIGTERM');
      await until('the manager to exit', () => exited, 30000).catch(() => process.kill(-child.pid, 'SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  }

  return { url, people, join: join_, dir, call, stop, log };
}
