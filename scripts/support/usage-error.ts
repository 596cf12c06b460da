/** Thrown by a command for a usage problem it finds itself: the CLI prints its Chinese message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
