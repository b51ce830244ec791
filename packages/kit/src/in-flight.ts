/** Calls a service is running right now, so shutdown can wait for them. */
export class InFlight {
  count = 0;

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      this.count--;
    }
  }
}
