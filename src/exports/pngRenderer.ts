/**
 * SVG to PNG off the event loop. resvg takes some 50 ms a chart, all of it synchronous: on the
 * bot's own thread, a morning's summaries (a chart per leader) or one leader's `/tomtat` would
 * hold up every update in hand meanwhile. So a worker thread renders (`pngWorker.mjs`): started
 * at the first render, one at a time in order, and let go after a minute with nothing to do,
 * taking its memory with it. It never keeps the process alive; if it dies, the renders it had
 * fail (a summary is tried again at the next check) and the next render starts a new one.
 */
import { Worker } from 'node:worker_threads';

/** What resvg is told besides the SVG (plain data: it crosses to the worker). */
export interface PngOptions {
  background: string;
  font: { fontFiles: string[]; loadSystemFonts: boolean; defaultFontFamily: string };
}

const IDLE_MS = 60_000;

type Answer = { id: number; png?: Uint8Array; error?: string };
type Waiter = { resolve: (png: Buffer) => void; reject: (e: Error) => void };

export class PngRenderer {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 0;
  private idle: NodeJS.Timeout | undefined;

  constructor(private readonly idleMs = IDLE_MS) {}

  render(svg: string, options: PngOptions): Promise<Buffer> {
    const worker = this.started();
    clearTimeout(this.idle);
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, svg, options });
    });
  }

  /** Whether a worker thread is up. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Stops the worker now: the renders in progress fail; the next render starts another. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.gone(worker, new Error('the PNG renderer stopped'));
    await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./pngWorker.mjs', import.meta.url));
    worker.on('message', (a: Answer) => this.answer(a));
    worker.on('error', (err) => this.gone(worker, err));
    worker.on('exit', (code) => this.gone(worker, new Error(`the PNG renderer stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The worker is stopping or has died: what it had to render fails. */
  private gone(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    clearTimeout(this.idle);
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  private answer({ id, png, error }: Answer): void {
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    if (png) w?.resolve(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    else w?.reject(new Error(`PNG rendering failed: ${error}`));
    if (this.waiting.size > 0) return;
    // Nothing to render: the worker may not keep the process alive, and goes after a while.
    this.worker?.unref();
    this.idle = setTimeout(() => void this.close(), this.idleMs);
    this.idle.unref();
  }
}

/** The process's one renderer. */
export const pngRenderer = new PngRenderer();
