/** One congress round for tests, opened the way the office opens it from the server. */
import type { Campaign } from '../../src/domain/congress/campaign.js';
import type { Services } from '../../src/services/index.js';

export interface CampaignSeed {
  /** The unit whose branches take part (the campaign's scope). */
  scope: string;
  /** DD/MM/YYYY; 30/09/2025 unless given. */
  deadline?: string;
  /** DD/MM/YYYY; 01/09/2025 unless given. */
  opens?: string;
  /** Branches holding the đại hội điểm. */
  pilots?: string[];
  name?: string;
}

/** Opens the 2025–2027 branch congress round over `scope`; throws with the service's own errors if it refuses. */
export async function seedCampaign(
  congress: Pick<Services['congress'], 'createCampaign'>,
  seed: CampaignSeed,
): Promise<Campaign> {
  const created = await congress.createCampaign('cli', {
    name: seed.name ?? 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
    term: '2025-2027',
    scope: seed.scope,
    opens: seed.opens ?? '01/09/2025',
    deadline: seed.deadline ?? '30/09/2025',
    ...(seed.pilots ? { pilots: seed.pilots } : {}),
  });
  if (!created.ok) throw new Error(created.errors.join('; '));
  return created.campaign;
}
