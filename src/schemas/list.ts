/** Answer shapes of the list's pull routes, that a national instance's sync also reads. */
import { z } from '@hono/zod-openapi';

/** GET /v1/list/changes: what the route answers and what a national instance's sync reads. */
export const listChanges = z.object({
  reset: z.boolean(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  manifest: z.string(),
});
