/**
 * Composing and sending: a draft is checked, previewed as its first recipient will see it, then
 * stored with its recipients fixed and handed to the jobs. Nothing is sent inside the request.
 */
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
  recipientText,
} from '../../domain/directives.js';
import { calendarDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Organisation, Viewer } from '../organisation.js';
import { describeAudience, recipientsFor } from './audience.js';
import { previewMarkup } from './keyboards.js';
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
      html: recipientText(content, first!, deps.timezone),
      markup: previewMarkup(draft),
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
 * fan-out and the follow-up. Admins only.
 */
export async function sendDirective(
  deps: DirectiveServiceDeps,
  actor: Viewer | 'cli',
  input: DraftInput,
  file: DirectiveFile | undefined,
): Promise<SendOutcome> {
  if (actor !== 'cli' && !deps.org.isAdmin(actor)) return { ok: false, errors: [msg.units.adminOnly] };
  if (file && file.bytes.length > DIRECTIVE_FILE_MAX_BYTES)
    return { ok: false, errors: [m.errors.fileTooBig(DIRECTIVE_FILE_MAX_BYTES / 1024 / 1024)] };
  const attachment: DirectiveAttachment | undefined = file
    ? { kind: file.kind, filename: file.filename, stored: true }
    : input.attachment;
  const checked = checkInput(deps, { ...input, ...(attachment ? { attachment } : {}) });
  if (!checked.ok) return checked;
  const found = await resolveAudience(deps.org, checked.draft.audience);
  if (!found.ok) return found;
  const directive: Directive = {
    ...checked.draft,
    id: await deps.store.nextId(),
    createdBy: actor === 'cli' ? 'cli' : String(actor.id),
    createdAt: deps.clock.now(),
    audienceText: found.audienceText,
  };
  await deps.store.create(directive, found.recipients, file?.bytes);
  await deps.jobs.fanOut(directive.id);
  await deps.jobs.followUp(directive.id, 'reminder', Math.round(directive.ackHours * 3_600_000));
  deps.log.info(
    { directive: directive.id, recipients: found.recipients.length, by: directive.createdBy },
    'directive queued',
  );
  return { ok: true, directive, recipients: found.recipients.length };
}
