/** A progress line on stderr: redrawn in place on a terminal, printed every few seconds otherwise. */
export interface Progress {
  update(done: number, errors: number, fraction?: number): void;
  finish(): void;
}

export function createProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  now = () => Date.now(),
): Progress {
  const started = now();
  let lastPrint = 0;
  let last = '';
  const render = (done: number, errors: number, fraction?: number) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = Math.round(done / seconds);
    const bar =
      fraction === undefined
        ? ''
        : `[${'#'.repeat(Math.round(fraction * 20)).padEnd(20, ' ')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
    return `${label} ${bar}${done.toLocaleString('en')} lines, ${rate.toLocaleString('en')}/s, ${errors.toLocaleString('en')} errors`;
  };
  return {
    update(done, errors, fraction) {
      last = render(done, errors, fraction);
      if (stream.isTTY) stream.write(`\r${last}`);
      else if (now() - lastPrint >= 2000) {
        lastPrint = now();
        stream.write(`${last}\n`);
      }
    },
    finish() {
      if (stream.isTTY) stream.write(`\r${last}\n`);
      else if (last) stream.write(`${last}\n`);
    },
  };
}
