// The progress line on stderr while checks run: only on a terminal (a pipe or a CI log gets the
// report alone), rewritten in place and erased before the report is printed.
import type { Status } from "@/checkers/types";

export class Progress {
  private done = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly stream: { isTTY?: boolean; write(s: string): boolean },
    private readonly total: number,
  ) {
    this.enabled = stream.isTTY === true;
    this.show(`Checking ${total} step(s)…`);
  }

  stepDone(step: number, status: Status): void {
    this.done++;
    this.show(`Checking: ${this.done}/${this.total} step(s) done (step ${step}: ${status})`);
  }

  /** Step 6's probe reports as it waits (up to 60 s). */
  note(step: number, message: string): void {
    this.show(`Step ${step}: ${message}`);
  }

  clear(): void {
    if (this.enabled) this.stream.write("\r\u001b[2K");
  }

  private show(text: string): void {
    if (this.enabled) this.stream.write(`\r\u001b[2K${text.slice(0, 120)}`);
  }
}
