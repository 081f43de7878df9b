// The dashboard's data code without a browser: frame sets as the manager writes them, a job of
// 10,000 frames kept up to date from live task messages, the grid drawing only what is in view,
// and the render-time estimate between measured frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFrames, FrameBoard } from '../../web/js/frames.js';
import { visibleRange } from '../../web/js/grid.js';
import { estimateSeries } from '../../web/js/chart.js';
import { isoMs } from '../../web/js/format.js';

test('frame sets read as the manager writes them', () => {
  assert.deepEqual(parseFrames('1-4,7,10-20x5'), [1, 2, 3, 4, 7, 10, 15, 20]);
  assert.deepEqual(parseFrames('3..5'), [3, 4, 5]);
  assert.deepEqual(parseFrames(''), []);
});

test('a job of 10,000 frames follows its tasks quickly', () => {
  const board = new FrameBoard('1-10000');
  assert.equal(board.size, 10000);
  const start = performance.now();
  for (let id = 1; id <= 10000; id++) {
    board.applyTask({ id, job: 1, frames: String(id), status: 'active', worker: id % 1000 });
  }
  for (let id = 1; id <= 5000; id++) {
    board.applyTask({ id, job: 1, frames: String(id), status: 'completed', worker: id % 1000 });
  }
  const elapsed = performance.now() - start;
  assert.deepEqual(board.counts(), { queued: 0, active: 5000, completed: 5000, failed: 0, canceled: 0 });
  assert.ok(elapsed < 1000, `15,000 task messages took ${elapsed.toFixed(0)} ms`);
  // A task of several frames changes each of them; the same state again changes nothing.
  const chunked = new FrameBoard('1-10');
  assert.deepEqual(chunked.applyTask({ id: 1, job: 1, frames: '1-3', status: 'completed' }), [0, 1, 2]);
  assert.deepEqual(chunked.applyTask({ id: 1, job: 1, frames: '1-3', status: 'completed' }), []);
  assert.equal(chunked.version[1], 1);
  assert.equal(chunked.thumbnailReady(2), 1);
  assert.equal(chunked.version[1], 2);
});

test('the grid draws only the cells in view, however many frames', () => {
  const range = visibleRange({ scrollTop: 250_000, viewHeight: 640, width: 900, cellWidth: 112,
    cellHeight: 63, gap: 6, count: 10000 });
  assert.equal(range.columns, 7);
  const drawn = range.last - range.first + 1;
  assert.ok(drawn <= 7 * 14, `${drawn} cells drawn`);
  assert.ok(range.first > 0 && range.last < 10000);
  assert.equal(range.totalHeight, Math.ceil(10000 / 7) * 69 - 6);
  const end = visibleRange({ scrollTop: 1e9, viewHeight: 640, width: 900, cellWidth: 112,
    cellHeight: 63, gap: 6, count: 10000 });
  assert.equal(end.last, 9999);
});

test('frames not yet rendered are estimated from their measured neighbours', () => {
  const series = estimateSeries([1, 2, 3, 4, 5], new Map([[1, 2], [4, 8]]));
  assert.deepEqual(series, [2, 4, 6, 8, 8]);
  assert.deepEqual(estimateSeries([1, 2], new Map()), [null, null]);
});

test('a fleet instance\'s launch time reads as the manager writes it', () => {
  assert.equal(isoMs('2026-12-05T10:15:00Z'), Date.UTC(2026, 11, 5, 10, 15, 0));
  assert.equal(isoMs(undefined), 0, 'an older manager sends none: the page shows "—"');
  assert.equal(isoMs('yesterday'), 0);
});
