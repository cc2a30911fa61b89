import { setImmediate as tick } from 'node:timers/promises';

interface Sleeper {
  due: number;
  seq: number;
  resolve: () => void;
}

/**
 * A virtual clock for the limiters. Time moves only in drive(): once every unfinished task is
 * asleep (real I/O of the file limiter has settled), the earliest sleeper is woken and the clock
 * jumps to its due time. Results are exact and independent of the machine's speed.
 */
export class FakeClock {
  t: number;
  readonly #sleepers: Sleeper[] = [];
  #seq = 0;

  constructor(start = 1_000_000) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = { due: this.t + ms, seq: this.#seq++, resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.#remove(sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });

  get sleeping(): number {
    return this.#sleepers.length;
  }

  /** Runs the tasks to completion in virtual time; each task's result is settled, never thrown. */
  async drive<T>(tasks: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
    let settled = 0;
    for (const task of tasks) {
      task.then(
        () => settled++,
        () => settled++,
      );
    }
    for (let spins = 0; settled < tasks.length; spins++) {
      if (spins > 200_000) throw new Error('FakeClock.drive: tasks never all went to sleep');
      if (settled + this.#sleepers.length < tasks.length) {
        await tick();
        continue;
      }
      this.#wakeNext();
      await tick();
    }
    return Promise.allSettled(tasks);
  }

  /** Like drive() for one task; returns its value or throws its error. */
  async run<T>(task: Promise<T>): Promise<T> {
    const [result] = await this.drive([task]);
    if (result?.status === 'fulfilled') return result.value;
    throw (result as PromiseRejectedResult).reason;
  }

  #wakeNext(): void {
    const next = [...this.#sleepers].sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
    if (next === undefined) return;
    this.#remove(next);
    this.t = Math.max(this.t, next.due);
    next.resolve();
  }

  #remove(sleeper: Sleeper): void {
    const index = this.#sleepers.indexOf(sleeper);
    if (index >= 0) this.#sleepers.splice(index, 1);
  }
}
