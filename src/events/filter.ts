/**
 * Keeps the events `keep` accepts, asking it once per event, in order. `return()` goes straight to
 * the source (as graphql-js's own mapping does), so unsubscribing does not wait for the next event.
 * A `keep` that fails drops that event (fail closed) after `onError` is told.
 */
export function filterAsyncIterable<T>(iterable: AsyncIterable<T>, keep: (value: T) => Promise<boolean>, onError: (err: unknown) => void): AsyncIterableIterator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  return {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        const result = await iterator.next();
        if (result.done) return result;
        let kept = false;
        try {
          kept = await keep(result.value);
        } catch (err) {
          onError(err);
        }
        if (kept) return result;
      }
    },
    async return(): Promise<IteratorResult<T>> {
      return iterator.return ? iterator.return() : { done: true, value: undefined };
    },
    async throw(err: unknown): Promise<IteratorResult<T>> {
      if (iterator.throw) return iterator.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
