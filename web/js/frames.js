// A job's frames and their state, kept from the task list and the live `change` messages.
// No DOM here: tests/browser/unit.test.mjs checks it at 10,000 frames.

// "1-40,42,50-60x5" (core::FrameSet's text) -> [1, 2, ..., 40, 42, 50, 55, 60].
export function parseFrames(text) {
  const frames = [];
  if (!text) return frames;
  for (const item of String(text).split(',')) {
    const m = /^\s*(-?\d+)(?:\s*(?:-|\.\.)\s*(-?\d+)(?:\s*x\s*(\d+))?)?\s*$/.exec(item);
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    const step = m[3] === undefined ? 1 : Math.max(1, Number(m[3]));
    for (let f = a; f <= b; f += step) frames.push(f);
  }
  return frames;
}

export const STATES = ['queued', 'active', 'completed', 'failed', 'canceled'];

// The frames of one job: their order, which task holds each, and each task's state.
export class FrameBoard {
  constructor(frameSpec) {
    this.frames = parseFrames(frameSpec);            // in order
    this.index = new Map(this.frames.map((f, i) => [f, i]));
    this.state = new Array(this.frames.length).fill('queued');
    this.taskOf = new Array(this.frames.length).fill(0);
    this.workerOf = new Array(this.frames.length).fill(null);
    this.version = new Array(this.frames.length).fill(0);  // bumps when a thumbnail is new
    this.tasks = new Map();                               // task id -> task
  }

  get size() { return this.frames.length; }

  // A TaskSummary (GET /jobs/{id}/tasks) or a live task ({id, job, frames, status, worker}).
  // Returns the indices of the frames whose state changed.
  applyTask(task) {
    this.tasks.set(task.id, task);
    const changed = [];
    for (const f of parseFrames(task.frames)) {
      const i = this.index.get(f);
      if (i === undefined) continue;
      this.taskOf[i] = task.id;
      this.workerOf[i] = task.worker ?? null;
      if (this.state[i] !== task.status) {
        if (task.status === 'completed') this.version[i]++;
        this.state[i] = task.status;
        changed.push(i);
      }
    }
    return changed;
  }

  // A thumbnail of `frame` was made: the grid loads it (again).
  thumbnailReady(frame) {
    const i = this.index.get(frame);
    if (i === undefined) return -1;
    this.version[i]++;
    return i;
  }

  counts() {
    const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
    for (const s of this.state) counts[s]++;
    return counts;
  }
}
