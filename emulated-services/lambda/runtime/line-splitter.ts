/**
 * Splits a process's output into lines (each with its `\n`), holding at most `limit` characters of an
 * unfinished one: a function that writes without end must not exhaust the emulator's memory. A line over
 * the limit is handed to `overflow` once, cut, and the rest of it dropped.
 */
export class LineSplitter {
  private parts: string[] = [];
  private size = 0;
  private dropping = false;

  constructor(
    private readonly line: (text: string) => void,
    private readonly overflow: (head: string) => void,
    private readonly limit = 16 << 20,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let newline = chunk.indexOf("\n"); newline !== -1; newline = chunk.indexOf("\n", start)) {
      const piece = chunk.slice(start, newline + 1);
      start = newline + 1;
      if (this.dropping) {
        this.dropping = false;
        continue;
      }
      this.parts.push(piece);
      this.line(this.take());
    }
    const rest = chunk.slice(start);
    if (rest === "" || this.dropping) return;
    this.parts.push(rest);
    this.size += rest.length;
    if (this.size > this.limit) {
      this.dropping = true;
      this.overflow(this.take());
    }
  }

  /** What is left when the stream ends: a last line without its newline. */
  flush(): void {
    if (this.parts.length > 0) this.line(this.take());
  }

  private take(): string {
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    return text;
  }
}
