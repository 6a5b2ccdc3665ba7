import type { BootlabEvent, BootlabEventMap, BootlabEventType } from '../shared/events.js';

type Handler<T extends BootlabEventType> = (payload: BootlabEventMap[T], event: BootlabEvent<T>) => void;
type AnyHandler = (event: BootlabEvent) => void;

/**
 * The one typed event bus every service reports to. Handlers run synchronously; a handler that throws
 * is reported to `onHandlerError` and never breaks the emitter (a bad listener must not stop a server).
 */
export class EventBus {
  private readonly handlers = new Map<BootlabEventType, Set<Handler<BootlabEventType>>>();
  private readonly anyHandlers = new Set<AnyHandler>();

  constructor(private readonly onHandlerError: (err: unknown) => void = () => {}) {}

  emit<T extends BootlabEventType>(type: T, payload: BootlabEventMap[T]): void {
    const event: BootlabEvent<T> = { type, time: new Date().toISOString(), payload };
    for (const handler of this.handlers.get(type) ?? []) this.safely(() => handler(payload, event));
    for (const handler of this.anyHandlers) this.safely(() => handler(event as BootlabEvent));
  }

  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends BootlabEventType>(type: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as Handler<BootlabEventType>);
    return () => set.delete(handler as Handler<BootlabEventType>);
  }

  /** Subscribes to every event (the API's live feed, the log file). */
  onAny(handler: AnyHandler): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onHandlerError(err);
    }
  }
}
