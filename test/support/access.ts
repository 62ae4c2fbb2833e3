/**
 * A test's own clock and book strategy for the server it starts (startTestServer's `accessLoader`):
 * how requests read access is injected, never a global a test flips.
 */
import { AccessLoader } from "../../src/auth/access-loader.js";
import { BooksBySize, everyBookLarge, type BookOfBusiness } from "../../src/auth/books.js";

/** Books judged by size, or, inside `asLarge`, every book read as a large one (in list order, row by row). */
export class SwitchableBooks implements BookOfBusiness {
  private current: BookOfBusiness = new BooksBySize();

  smallBook(...args: Parameters<BookOfBusiness["smallBook"]>) {
    return this.current.smallBook(...args);
  }

  async asLarge<T>(fn: () => Promise<T>): Promise<T> {
    const saved = this.current;
    this.current = everyBookLarge;
    try {
      return await fn();
    } finally {
      this.current = saved;
    }
  }
}

/** Real time, until a test pins it to an instant of its choosing. */
export class TestClock {
  private pinned: Date | null = null;
  readonly now = () => this.pinned ?? new Date();

  pin(at: Date): void {
    this.pinned = at;
  }

  release(): void {
    this.pinned = null;
  }
}

/** An access loader with a switchable book strategy and a pinnable clock. */
export function testAccess(): { accessLoader: AccessLoader; books: SwitchableBooks; clock: TestClock } {
  const books = new SwitchableBooks();
  const clock = new TestClock();
  return { accessLoader: new AccessLoader({ clock: clock.now, books }), books, clock };
}
