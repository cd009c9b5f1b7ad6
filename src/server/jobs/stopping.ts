/**
 * A wait inside a job (for a rate-limit token, before a retry) ended because the server is stopping. The job does not
 * count it as a failure: it stops where it is and the queue hands the work to the next worker or the restarted one.
 */
export class ServerStopping extends Error {
  constructor() {
    super('The server is shutting down.');
    this.name = 'ServerStopping';
  }
}

/** A sleep that ends at once with ServerStopping when `signal` aborts, so a stopping server does not wait for it. */
export function stoppableSleep(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new ServerStopping());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new ServerStopping());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
}
