// The local backend: the StateStore (.play/ journal) behind the backend interface, unchanged.
// Its lock covers the whole store, so every host is already claimed when it opens.
import type { ForgetFilter, HostRow, OpenBackendOptions, StateBackend } from './backend.js';
import { showRows } from './rows.js';
import { StateStore } from './store.js';
import type { DoneRecord } from './types.js';

export class LocalBackend implements StateBackend {
  readonly kind = 'local' as const;
  private constructor(private readonly store: StateStore) {}

  static async open(dir: string, opts: OpenBackendOptions): Promise<LocalBackend> {
    return new LocalBackend(await StateStore.open(dir, { waitMs: opts.waitMs }));
  }

  get where(): string {
    return this.store.dir;
  }
  claimHost(): Promise<boolean> {
    return Promise.resolve(true);
  }
  lookup(identity: string, taskId: string): DoneRecord | undefined {
    return this.store.lookup(identity, taskId);
  }
  recordDone(rec: DoneRecord): void {
    this.store.recordDone(rec);
  }
  notify(identity: string, host: string, handlerId: string): void {
    this.store.notify(identity, host, handlerId);
  }
  handled(identity: string, handlerId: string): void {
    this.store.handled(identity, handlerId);
  }
  pendingHandlers(identity: string): string[] {
    return this.store.pendingHandlers(identity);
  }
  flush(): void {
    this.store.flush();
  }
  forget(filter: ForgetFilter): Promise<number> {
    return Promise.resolve(this.store.forget(filter));
  }
  show(host?: string): Promise<HostRow[]> {
    return Promise.resolve(showRows(this.store.snapshot(), host));
  }
  close(): Promise<void> {
    this.store.close();
    return Promise.resolve();
  }
  abandon(): Promise<void> {
    this.store.abandon();
    return Promise.resolve();
  }
}
