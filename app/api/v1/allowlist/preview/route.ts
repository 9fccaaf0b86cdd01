// POST /api/v1/allowlist/preview – what an entry would match and which open alerts saving it would close; writes nothing
import { previewAllowlistImpact } from '@/lib/allowlist/preview-allowlist-impact';
import { allowlistPreviewSchema } from '@/lib/allowlist/schemas';
import { getPool } from '@/lib/db/pool';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const POST = route({ access: { permission: 'triage' }, body: allowlistPreviewSchema }, ({ body }) =>
  previewAllowlistImpact(getPool(), body),
);
