// Something that ends a run before any report (a connection, authentication or platform
// problem): lab-check prints it on stderr and exits 2.
export class Fatal extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "Fatal";
  }
}
