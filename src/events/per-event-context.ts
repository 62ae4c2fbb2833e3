import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult } from "graphql";

/**
 * graphql's `subscribe`, except that every event is executed with a context of its own.
 *
 * graphql-js runs every event of a subscription with the one context given when subscribing, which
 * lives as long as the socket. Renewing its scope and loaders in place (what a resolver could do) is
 * a race: two events resolving at once share, and overwrite, each other's scope, loaders and cached
 * permission decisions. Here the subscription's own context only authorizes subscribing; each event
 * gets a new object from `renew`, so its access check, its loaders and its decisions are its own.
 */
export function subscribeWithContextPerEvent<C>(renew: (subscriptionContext: C) => Promise<C>) {
  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    return mapAsyncIterable(stream, async (payload): Promise<ExecutionResult> => {
      let contextValue: C;
      try {
        contextValue = await renew(args.contextValue as C);
      } catch (err) {
        return { errors: [new GraphQLError("This event could not be prepared.", { originalError: err instanceof Error ? err : new Error(String(err)) })] };
      }
      return execute({ ...args, rootValue: payload, contextValue });
    });
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

/**
 * Maps an async iterable, passing `return()` straight to the source (as graphql-js does): an async
 * generator would wait for the next event before noticing that the client unsubscribed.
 */
function mapAsyncIterable<T, U>(iterable: AsyncIterable<T>, map: (value: T) => Promise<U>): AsyncIterableIterator<U> {
  const iterator = iterable[Symbol.asyncIterator]();
  const close = async () => {
    try {
      await iterator.return?.();
    } catch {
      // the original error matters more than a failure to close
    }
  };
  const mapResult = async (result: IteratorResult<T>): Promise<IteratorResult<U>> => {
    if (result.done) return { done: true, value: undefined };
    try {
      return { done: false, value: await map(result.value) };
    } catch (err) {
      await close();
      throw err;
    }
  };
  return {
    async next() {
      return mapResult(await iterator.next());
    },
    async return() {
      return iterator.return ? mapResult(await iterator.return()) : { done: true, value: undefined };
    },
    async throw(err: unknown) {
      if (iterator.throw) return mapResult(await iterator.throw(err));
      await close();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
