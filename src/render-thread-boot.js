// Starts the render thread: the sources are TypeScript, loaded through tsx as bin/worstof.js loads the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./render-thread.ts');
