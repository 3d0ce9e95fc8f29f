// Debounced, superseding check runs. Every trigger bumps a generation; a run started for an
// older generation stops at its next checkpoint and publishes nothing, so results are never
// stale. Runs never overlap: a new run waits for the previous one to finish.

export type CheckRun = (isCurrent: () => boolean) => Promise<void>;

export class CheckScheduler {
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly delayMs: number,
    private readonly run: CheckRun,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Ask for a check after the debounce delay; supersedes anything pending or running. */
  schedule(): void {
    if (this.disposed) return;
    const generation = ++this.generation;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start(generation);
    }, this.delayMs);
  }

  /** Stop everything: no pending run will start, a running one will publish nothing. */
  dispose(): void {
    this.disposed = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(generation: number): void {
    const isCurrent = () => !this.disposed && generation === this.generation;
    this.running = this.running.then(async () => {
      if (!isCurrent()) return;
      try {
        await this.run(isCurrent);
      } catch (error) {
        this.onError(error);
      }
    });
  }
}
