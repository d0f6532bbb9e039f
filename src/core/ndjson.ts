/** Newline-delimited JSON over a byte stream, in bounded memory: lines arrive in groups. */

export interface Line {
  /** 1-based line number in the body. */
  number: number;
  text: string;
  /** Set when the line was longer than allowed; its text is then empty. */
  tooLong?: boolean;
}

/** Yields groups of up to `groupSize` non-empty lines; a line over `maxLine` characters is flagged, not kept. */
export async function* lineGroups(
  body: ReadableStream<Uint8Array>,
  groupSize: number,
  maxLine: number,
): AsyncGenerator<Line[]> {
  const decoder = new TextDecoder();
  let pending = '';
  let skipping = false;
  let number = 0;
  let group: Line[] = [];
  const push = (text: string, tooLong = false) => {
    number++;
    if (!tooLong && text.trim() === '') return;
    group.push(tooLong ? { number, text: '', tooLong } : { number, text });
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      if (skipping) skipping = false;
      else push(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    if (pending.length > maxLine && !skipping) {
      push('', true);
      skipping = true;
      pending = '';
    } else if (skipping) pending = '';
    if (group.length >= groupSize) {
      yield group;
      group = [];
    }
  }
  pending += decoder.decode();
  if (!skipping) push(pending);
  if (group.length > 0) yield group;
}
