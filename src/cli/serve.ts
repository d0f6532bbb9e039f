/** `worstof serve` (npm start): the Node runtime. */
import { loadConfig } from '../config.ts';
import { startNode } from '../node.ts';

export async function serveCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const node = await startNode(config);
  return node.done;
}
