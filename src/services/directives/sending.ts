/**
 * Composing and sending: a draft is checked, previewed as its first recipient will see it, then
 * stored with its recipients fixed and handed to the jobs. Nothing is sent inside the request.
 */
import { reply } from '../../chat/reply.js';
import {
  type Audience,
  checkDraft,
  DIRECTIVE_FILE_MAX_BYTES,
  type Directive,
  type DirectiveAttachment,
  type DirectiveContent,
  type DirectiveDraft,
  type DraftInput,
  type Recipient,
  reminderDue,
} from '../../domain/directives.js';
import { calendarDate } from '../../domain/vn.js';
import { pausePoint } from '../../infra/pausePoints.js';
import { msg } from '../../messages/index.js';
import type { Organisation, Viewer } from '../organisation.js';
import { previewRows } from './actions.js';
import { describeAudience, recipientsFor } from './audience.js';
import type { DirectivePreview, DirectiveServiceDeps, SendOutcome } from './types.js';

const m = msg.directives;

/** A CLI file kept with the directive. */
export interface DirectiveFile {
  bytes: Buffer;
  filename: string;
  kind: 'document' | 'photo';
}

/** Checks a draft field by field against today in the committee's time zone. */
export function checkInput(deps: DirectiveServiceDeps, input: DraftInput): ReturnType<typeof checkDraft> {
  return checkDraft(input, calendarDate(deps.clock.now(), deps.timezone));
}

/** Exactly what a recipient will see (the first recipient's version), before anything is sent. */
export async function previewDraft(
  deps: DirectiveServiceDeps,
  viewer: Viewer,
  draft: DirectiveDraft,
): Promise<{ ok: true; preview: DirectivePreview } | { ok: false; errors: string[] }> {
  if (!deps.org.isAdmin(viewer)) return { ok: false, errors: [msg.units.adminOnly] };
  const found = await resolveAudience(deps.org, draft.audience);
  if (!found.ok) return found;
  const [first] = found.recipients;
  const content: DirectiveContent = { ...draft, createdAt: deps.clock.now() };
  return {
    ok: true,
    preview: {
      reply: reply(m.recipientText(content, first!, deps.timezone), previewRows(draft)),
      recipients: found.recipients.length,
      audienceText: found.audienceText,
    },
  };
}

/** The audience's recipients and name, or why it reaches no one. */
async function resolveAudience(
  org: Organisation,
  audience: Audience,
): Promise<{ ok: true; recipients: Recipient[]; audienceText: string } | { ok: false; errors: string[] }> {
  if (audience.kind === 'unit' && !(await org.unit(audience.unit)))
    return { ok: false, errors: [msg.units.unknownUnit(audience.unit)] };
  const audienceText = await describeAudience(org, audience);
  const recipients = await recipientsFor(org, audience);
  if (recipients.length === 0) return { ok: false, errors: [m.errors.noRecipients(audienceText)] };
  return { ok: true, recipients, audienceText };
}

/**
 * Sends a directive: checks it, fixes its recipients, stores it (audited) and queues the
 * fan-out and the follow-up. Admins only. `card` is the nonce of the «Xác nhận và gửi» pressed:
 * the store consumes it with the save, so the same press repeated (a double tap, or redelivered
 * after a crash) sends nothing new and gets the directive it sent (`repeated`).
 */
export async function sendDirective(
  deps: DirectiveServiceDeps,
  actor: Viewer | 'cli',
  input: DraftInput,
  opts: { file?: DirectiveFile; card?: string } = {},
): Promise<SendOutcome> {
  const { file, card } = opts;
  if (actor !== 'cli' && !deps.org.isAdmin(actor)) return { ok: false, errors: [msg.units.adminOnly] };
  if (card !== undefined) {
    const receipt = await deps.dialogs.receipt(card);
    if (receipt?.ref !== undefined) return resumeSent(deps, receipt.ref);
  }
  if (file && file.bytes.length > DIRECTIVE_FILE_MAX_BYTES)
    return { ok: false, errors: [m.errors.fileTooBig(DIRECTIVE_FILE_MAX_BYTES / 1024 / 1024)] };
  const attachment: DirectiveAttachment | undefined = file
    ? { kind: file.kind, filename: file.filename, stored: true }
    : input.attachment;
  const checked = checkInput(deps, { ...input, ...(attachment ? { attachment } : {}) });
  if (!checked.ok) return { ok: false, errors: checked.errors.map(m.problem) };
  const found = await resolveAudience(deps.org, checked.draft.audience);
  if (!found.ok) return found;
  const directive: Directive = {
    ...checked.draft,
    id: await deps.store.nextId(),
    createdBy: actor === 'cli' ? 'cli' : String(actor.id),
    createdAt: deps.clock.now(),
    audienceText: found.audienceText,
  };
  const created = await deps.store.create(directive, found.recipients, file?.bytes, card);
  // Two presses of one card at once: the other one stored it.
  if (created.already?.ref !== undefined) return resumeSent(deps, created.already.ref);
  await pausePoint('directive-sent');
  await queueJobs(deps, directive);
  deps.log.info(
    { directive: directive.id, recipients: found.recipients.length, by: directive.createdBy },
    'directive queued',
  );
  return { ok: true, directive, recipients: found.recipients.length };
}

/** The fan-out and the reminder, under ids fixed by the directive's id (queuing twice is a no-op). */
async function queueJobs(deps: DirectiveServiceDeps, d: Directive): Promise<void> {
  await deps.jobs.fanOut(d.id);
  await deps.jobs.followUp(d.id, 'reminder', reminderDue(d) - deps.clock.now());
}

/**
 * A card pressed again: what it sent. A crash may have come between the save and the jobs, so
 * they are queued again (a no-op when they were), unless the directive was stopped since.
 */
async function resumeSent(deps: DirectiveServiceDeps, id: string): Promise<SendOutcome> {
  const stored = await deps.store.get(id);
  if (!stored) return { ok: false, errors: [m.admin.unknown(id)] };
  if (stored.cancelledAt === undefined) await queueJobs(deps, stored.directive);
  return { ok: true, directive: stored.directive, recipients: stored.recipientCount, repeated: true };
}
