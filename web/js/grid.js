// A virtualised grid: only the cells in view (and a row either side) exist in the DOM, so a job
// of 10,000 frames costs the page a few dozen elements, however far it is scrolled.

// Which items to draw for a scroll position: pure, for the unit test.
export function visibleRange({ scrollTop, viewHeight, width, cellWidth, cellHeight, gap, count }) {
  const columns = Math.max(1, Math.floor((width + gap) / (cellWidth + gap)));
  const rowHeight = cellHeight + gap;
  const rows = Math.ceil(count / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight) - 1);
  const lastRow = Math.min(rows - 1, Math.ceil((scrollTop + viewHeight) / rowHeight) + 1);
  const first = firstRow * columns;
  const last = Math.min(count - 1, (lastRow + 1) * columns - 1);
  return { columns, rows, rowHeight, first, last, totalHeight: Math.max(0, rows * rowHeight - gap) };
}

export class VirtualGrid {
  // `drawCell(element, index)` fills a cell; `onClick(index)` on a click.
  constructor(container, { count, cellWidth, cellHeight, gap = 6, drawCell, onClick }) {
    Object.assign(this, { container, count, cellWidth, cellHeight, gap, drawCell });
    this.spacer = document.createElement('div');
    this.spacer.className = 'grid-spacer';
    container.append(this.spacer);
    this.cells = new Map();  // index -> element
    this.scheduled = false;
    container.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.resizer = new ResizeObserver(() => this.schedule(true));
    this.resizer.observe(container);
    container.addEventListener('click', (e) => {
      const cell = e.target.closest('[data-index]');
      if (cell) onClick(Number(cell.dataset.index));
    });
    this.schedule(true);
  }

  schedule(all = false) {
    this.redrawAll ||= all;
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => { this.scheduled = false; this.draw(); });
  }

  // Redraws the cells of these indices, when they are in view.
  refresh(indices) {
    for (const i of indices) {
      const cell = this.cells.get(i);
      if (cell) this.drawCell(cell, i);
    }
  }

  draw() {
    const range = visibleRange({
      scrollTop: this.container.scrollTop, viewHeight: this.container.clientHeight,
      width: this.container.clientWidth, cellWidth: this.cellWidth, cellHeight: this.cellHeight,
      gap: this.gap, count: this.count,
    });
    this.spacer.style.height = `${range.totalHeight}px`;
    const relayout = this.redrawAll || range.columns !== this.columns;
    this.columns = range.columns;
    for (const [i, cell] of this.cells) {
      if (i < range.first || i > range.last) { cell.remove(); this.cells.delete(i); }
    }
    for (let i = range.first; i <= range.last; i++) {
      let cell = this.cells.get(i);
      const fresh = !cell;
      if (fresh) {
        cell = document.createElement('button');
        cell.type = 'button';
        cell.className = 'cell';
        cell.dataset.index = i;
        this.spacer.append(cell);
        this.cells.set(i, cell);
      }
      if (fresh || relayout) {
        const row = Math.floor(i / range.columns), col = i % range.columns;
        cell.style.transform = `translate(${col * (this.cellWidth + this.gap)}px, ${row * range.rowHeight}px)`;
        cell.style.width = `${this.cellWidth}px`;
        cell.style.height = `${this.cellHeight}px`;
      }
      if (fresh || this.redrawAll) this.drawCell(cell, i);
    }
    this.redrawAll = false;
  }

  destroy() { this.resizer.disconnect(); }
}
