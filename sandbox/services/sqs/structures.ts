// The two containers the hot path needs so that every send, receive and delete costs O(1) or
// O(log n) in the queue's size: a FIFO deque (visible messages in arrival order) and a binary
// min-heap (hidden messages keyed by the time they become visible again).

export class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact once the dead prefix outweighs the live part, so memory stays proportional.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  at(index: number): T | undefined {
    return this.items[this.head + index];
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/**
 * A binary min-heap by `at`. Each item remembers its position (`pos`, -1 once out of the heap), so
 * an item can be removed in O(log n): a deleted message leaves the heap at once instead of staying
 * referenced until its time comes (which kept every acknowledged message alive, and the garbage
 * collector copying it, for a whole visibility timeout).
 */
export class MinHeap<T extends { at: number; pos: number }> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.up(item, this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes the item if it is still in the heap; false when it was not. */
  remove(item: T): boolean {
    const i = item.pos;
    if (i < 0 || this.items[i] !== item) return false;
    this.removeAt(i);
    return true;
  }

  clear(): void {
    for (const item of this.items) item.pos = -1;
    this.items = [];
  }

  private removeAt(i: number): void {
    const a = this.items;
    const gone = a[i]!;
    gone.pos = -1;
    const last = a.pop()!;
    if (i === a.length) return; // it was the last one
    // The last item takes the hole, then moves up or down to where it belongs.
    if (i > 0 && a[(i - 1) >> 1]!.at > last.at) this.up(last, i);
    else this.down(last, i);
  }

  private up(item: T, from: number): void {
    const a = this.items;
    let i = from;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent]!;
      if (p.at <= item.at) break;
      a[i] = p;
      p.pos = i;
      i = parent;
    }
    a[i] = item;
    item.pos = i;
  }

  private down(item: T, from: number): void {
    const a = this.items;
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && a[r]!.at < a[l]!.at ? r : l;
      const child = a[c]!;
      if (child.at >= item.at) break;
      a[i] = child;
      child.pos = i;
      i = c;
    }
    a[i] = item;
    item.pos = i;
  }
}
