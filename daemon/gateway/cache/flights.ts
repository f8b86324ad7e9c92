import type { CacheEntry } from '../store/cache-store';

/** What a follower hears from the call it waits on. */
export interface FlightListener {
  /** A chunk of the leader's stream, as the provider sent it (usage chunk included). */
  onChunk(chunk: Buffer): void;
  /** The leader's call ended: with the entry it stored, or undefined when it failed. */
  onDone(entry: CacheEntry | undefined): void;
}

/**
 * One cacheable call on its way to the provider, which identical calls arriving meanwhile wait
 * on instead of calling the provider themselves. A streamed answer is kept as it arrives, so a
 * follower that joins late gets what was already sent first.
 */
export class Flight {
  /** The leader's stream so far; undefined until its first event (or for a JSON answer). */
  streamed: Buffer[] | undefined;
  private readonly listeners = new Set<FlightListener>();

  constructor(
    readonly key: string,
    /** The request id of the call that leads. */
    readonly leaderId: string,
    private readonly onEnd: (flight: Flight) => void,
  ) {}

  push(chunk: Buffer): void {
    (this.streamed ??= []).push(chunk);
    for (const listener of this.listeners) listener.onChunk(chunk);
  }

  /** Ends the flight: it leaves the table first, so a follower that must lead next finds none. */
  finish(entry: CacheEntry | undefined): void {
    this.onEnd(this);
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener.onDone(entry);
  }

  subscribe(listener: FlightListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get followers(): number {
    return this.listeners.size;
  }
}

/** The calls in flight, by cache key. */
export class Flights {
  private readonly flights = new Map<string, Flight>();

  find(key: string): Flight | undefined {
    return this.flights.get(key);
  }

  lead(key: string, leaderId: string): Flight {
    const flight = new Flight(key, leaderId, (ended) => {
      if (this.flights.get(ended.key) === ended) this.flights.delete(ended.key);
    });
    this.flights.set(key, flight);
    return flight;
  }

  get size(): number {
    return this.flights.size;
  }
}
