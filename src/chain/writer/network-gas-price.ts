/**
 * The node's gas price, read at most once per `maxAgeMs` (it changes once per block at most), not
 * before every transaction. An unreadable price is not kept: the next caller asks again.
 */
export class NetworkGasPrice {
  private last?: { read: Promise<bigint | undefined>; at: number };

  constructor(
    private readonly readPrice: () => Promise<bigint>,
    private readonly maxAgeMs: number,
  ) {}

  get(): Promise<bigint | undefined> {
    if (!this.last || Date.now() - this.last.at >= this.maxAgeMs) {
      const read = this.readPrice().catch(() => undefined);
      this.last = { read, at: Date.now() };
      void read.then((price) => {
        if (price === undefined && this.last?.read === read) this.last = undefined;
      });
    }
    return this.last.read;
  }
}
