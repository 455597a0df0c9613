/**
 * Wording for directives (thông báo, chỉ đạo): what recipients receive in official form, the
 * acknowledgement button, reminders and the note to responsible leaders, the /thongbao compose
 * dialog with its field-by-field errors (worded from the domain's reason codes), the delivery
 * status, /vanban and the CLI. Texts that show what people typed take it as markup (escaped by
 * each channel's renderer); input repeated back to its author is capped (`echo`).
 */
import { bold, lines, type Rich } from '../chat/markup.js';
import { citationDate, type DocumentKind, documentKind } from '../domain/citation.js';
import {
  type Audience,
  type Directive,
  type DirectiveContent,
  type DirectiveMilestones,
  type DirectiveProblem,
  type DirectiveProgress,
  formatMoment,
  issueDate,
  type Recipient,
  reminderDue,
} from '../domain/directives.js';
import { echo } from '../domain/text.js';
import { formatNumber, formatPercent, formatRatio, formatVnDate, type IsoDate } from '../domain/vn.js';
import { units } from './units.js';

/** How each document kind is named in a citation. */
const DOCUMENT_KIND_NAMES: Record<DocumentKind, string> = {
  KH: 'Kế hoạch',
  CT: 'Chỉ thị',
  NQ: 'Nghị quyết',
  KL: 'Kết luận',
  HD: 'Hướng dẫn',
  TB: 'Thông báo',
  QĐ: 'Quyết định',
  CV: 'Công văn',
};

/** "Kế hoạch" for KH; "Văn bản" when the number names no kind. */
export function documentKindName(kind: DocumentKind | undefined): string {
  return kind ? DOCUMENT_KIND_NAMES[kind] : 'Văn bản';
}

/** "Kế hoạch số 74-KH/ĐU, ngày 12/7/2022 của Đảng ủy phường Việt Hưng". */
export function citation(number: string | undefined, issued: IsoDate, issuer?: string): string {
  return words.recipient.numberLine(number, citationDate(issued), issuer);
}

/** "«Đã nhận»": how labels and values are quoted inside sentences. */
const q = (s: string) => `«${s}»`;
/** A person's own input, quoted and capped. */
const typed = (s: string) => q(echo(s));
const n = formatNumber;

/**
 * How a branch recipient's role reads after "Đồng chí". A leader is named by their recorded
 * title; "Lãnh đạo" is the bot's role, never printed as a title.
 */
const roleTitles = {
  secretary: 'Bí thư',
  deputy: 'Phó Bí thư',
} as const;

/** Up to `max` items, then "và N … khác". */
function capped<T extends Rich>(items: readonly T[], max: number, other: string): (T | string)[] {
  if (items.length <= max) return [...items];
  return [...items.slice(0, max), `… và ${n(items.length - max)} ${other} khác`];
}

const buttonAck = 'Đã nhận';
const buttonFile = 'Xem tệp đính kèm';

const words = {
  roleTitles,
  buttonAck,
  buttonFile,
  /** The button after acknowledging: no longer starts with «Đã nhận». */
  buttonAcked: (when: string) => `✓ Đã xác nhận lúc ${when}`,
  /** One /vanban button per unacknowledged directive; starts with «Đã nhận». */
  buttonAckTitled: (title: string) => `${buttonAck}: ${title}`,
  buttonView: (index: number) => `Xem văn bản ${index}`,

  recipient: {
    /** "Kính gửi: Đồng chí Bí thư Chi bộ Thôn 1". */
    salutation: (role: 'secretary' | 'deputy', unitNames: readonly string[]) =>
      `Kính gửi: Đồng chí ${roleTitles[role]} ${unitNames.join(', ')}`,
    /**
     * "Kính gửi: Đồng chí Nguyễn Văn Hùng, Bí thư Đảng ủy phường"; without a recorded title,
     * the unit: "Kính gửi: Đồng chí Nguyễn Văn Hùng, Đảng bộ phường Việt Hưng".
     */
    leaderSalutation: (name: string, title: string | undefined, unitNames: readonly string[]) =>
      `Kính gửi: Đồng chí ${[name, title ?? unitNames.join(', ')].filter(Boolean).join(', ')}`,
    /**
     * The citation in party style: "Kế hoạch số 74-KH/ĐU, ngày 12/7/2022 của Đảng ủy phường Việt
     * Hưng"; the kind from the number, else "Văn bản".
     */
    numberLine: (number: string | undefined, date: string, issuer?: string) =>
      `${documentKindName(documentKind(number))}${number ? ` số ${number},` : ''} ngày ${date}${issuer ? ` của ${issuer}` : ''}`,
    deadline: (date: string) => `Thời hạn thực hiện: đến hết ngày ${date}.`,
    attachment: (filename: string) => `Kèm theo: ${q(filename)}. Đồng chí bấm ${q(buttonFile)} để nhận tệp.`,
    photo: `Kèm theo: ảnh văn bản. Đồng chí bấm ${q(buttonFile)} để xem ảnh.`,
    askAck: `Đề nghị đồng chí bấm ${q(buttonAck)} để xác nhận đã nhận văn bản này.`,
    /** Above the directive when it is sent again to someone who has not acknowledged it. */
    reminder: [bold('Nhắc lại:'), ' đến nay đồng chí chưa xác nhận đã nhận văn bản dưới đây.'],
  },

  /** The note to a responsible leader after the reminder went unanswered. */
  leaderNote: {
    intro: (title: string, number: string | undefined, date: string) =>
      `Văn bản ${q(title)}${number ? ` (số ${number})` : ''} gửi ngày ${date}: sau khi bot đã nhắc lại, các đồng chí sau vẫn chưa xác nhận đã nhận:`,
    unreachable: 'chưa nhận được tin nhắn (chưa bấm Start hoặc đã chặn bot)',
    ask: 'Đề nghị đồng chí đôn đốc các đồng chí xác nhận và triển khai thực hiện.',
  },

  toast: {
    acknowledged: (when: string) => `Đã ghi nhận: đồng chí đã nhận văn bản lúc ${when}.`,
    already: (when: string) => `Đồng chí đã xác nhận đã nhận văn bản này lúc ${when}.`,
    notRecipient: 'Văn bản này không gửi cho đồng chí.',
    unknown: 'Không tìm thấy văn bản này.',
    preview: 'Đây là bản xem trước, chưa gửi cho ai.',
    /** «Xác nhận và gửi» pressed again (a double tap, or a press repeated after a restart). */
    alreadySent: (id: string) => `Thông báo mã ${id} đã được gửi. Đồng chí không cần bấm lại.`,
    noFile: 'Văn bản này không có tệp đính kèm.',
  },

  dialog: {
    intro:
      'Soạn thông báo, chỉ đạo. Bot hỏi lần lượt từng bước; chưa gửi gì cho đến khi đồng chí bấm «Xác nhận và gửi». Gõ /huy để dừng.',
    title:
      'Bước 1/9. Đồng chí gửi tiêu đề văn bản, ví dụ: «Kế hoạch tổ chức đại hội chi bộ nhiệm kỳ 2025 – 2027».',
    number: 'Bước 2/9. Số, ký hiệu văn bản (ví dụ 74-KH/ĐU), hoặc bấm «Không có số».',
    issued: 'Bước 3/9. Ngày ban hành văn bản (dd/mm/yyyy, ví dụ 12/07/2022), hoặc bấm «Lấy ngày gửi».',
    issuer: 'Bước 4/9. Cơ quan ban hành (ví dụ: Đảng ủy phường Việt Hưng), hoặc bấm «Không ghi».',
    text: (max: number) => `Bước 5/9. Đồng chí gửi nội dung thông báo (tối đa ${n(max)} ký tự).`,
    attachment:
      'Bước 6/9. Nếu có văn bản kèm theo, đồng chí gửi tệp (PDF, Word…) hoặc ảnh vào đây; nếu không, bấm «Không kèm tệp».',
    audience: 'Bước 7/9. Gửi đến ai?',
    unit: 'Đồng chí chọn đơn vị, hoặc gõ mã đơn vị (ví dụ DBBP1). Bot gửi đến bí thư các chi bộ thuộc đơn vị đó.',
    kinds: 'Đồng chí bấm để chọn (hoặc bỏ chọn) loại chi bộ, rồi bấm «Xong».',
    deadline: 'Bước 8/9. Thời hạn thực hiện (dd/mm/yyyy), hoặc bấm «Không có thời hạn».',
    ackHours:
      'Bước 9/9. Sau bao nhiêu giờ mà đồng chí nào chưa xác nhận thì bot nhắc lại (sau đó báo lãnh đạo phụ trách)? Bấm một lựa chọn hoặc gõ số giờ.',
    previewIntro: (recipients: number) =>
      `Bản xem trước: ${n(recipients)} đồng chí sẽ nhận đúng như tin dưới đây (lời «Kính gửi» theo chức vụ, đơn vị của từng đồng chí).`,
    confirm: (title: string, audience: string, recipients: number, hours: string) =>
      `Gửi ${q(title)} đến ${audience}: ${n(recipients)} đồng chí.\nĐồng chí nào chưa xác nhận sau ${hours} giờ thì bot nhắc lại, sau đó báo lãnh đạo phụ trách.\n\nBấm «Xác nhận và gửi» để gửi. Chưa có tin nào được gửi.`,
    needFile: 'Bước này cần một tệp hoặc ảnh. Đồng chí gửi tệp, hoặc bấm «Không kèm tệp».',
    fileSaved: (name: string) => `Đã nhận tệp ${typed(name)}.`,
    photoSaved: 'Đã nhận ảnh.',
    expired: 'Phiên soạn thông báo đã hết. Đồng chí gõ /thongbao để soạn lại.',
    buttonNoNumber: 'Không có số',
    buttonIssuedToday: 'Lấy ngày gửi',
    buttonNoIssuer: 'Không ghi',
    buttonNoFile: 'Không kèm tệp',
    buttonNoDeadline: 'Không có thời hạn',
    buttonHours: (hours: number) => `${n(hours)} giờ`,
    buttonAllSecretaries: 'Bí thư tất cả chi bộ',
    buttonUnit: 'Bí thư chi bộ thuộc một đơn vị',
    buttonKinds: 'Bí thư theo loại chi bộ',
    buttonLeaders: 'Lãnh đạo các cấp ủy',
    buttonKindsDone: 'Xong',
    buttonConfirm: 'Xác nhận và gửi',
  },

  /** Field-by-field errors; each says what is wrong and how to fix it. */
  errors: {
    titleEmpty: 'Tiêu đề đang trống. Đồng chí gửi tiêu đề văn bản.',
    titleTooLong: (length: number, max: number) =>
      `Tiêu đề dài ${n(length)} ký tự, quá ${n(max)} ký tự. Đồng chí rút gọn tiêu đề.`,
    numberInvalid: (value: string, max: number) =>
      `Số văn bản ${typed(value)} không hợp lệ: chỉ gồm chữ, chữ số, dấu gạch ngang, gạch chéo, dấu chấm, tối đa ${n(max)} ký tự. Ví dụ: 74-KH/ĐU.`,
    textEmpty: 'Nội dung đang trống. Đồng chí gửi nội dung thông báo.',
    textTooLong: (length: number, max: number) =>
      `Nội dung dài ${n(length)} ký tự, quá ${n(max)} ký tự. Đồng chí rút gọn, hoặc gửi văn bản đầy đủ dưới dạng tệp kèm theo.`,
    issuedInvalid: (value: string) =>
      `Ngày ban hành ${typed(value)} không đúng dạng ngày. Đồng chí ghi theo dạng dd/mm/yyyy, ví dụ 12/07/2022.`,
    issuedFuture: (date: string, today: string) =>
      `Ngày ban hành ${date} sau hôm nay (${today}). Đồng chí ghi ngày văn bản đã được ký ban hành.`,
    issuerInvalid: (value: string) =>
      `Cơ quan ban hành ${typed(value)} có ký tự không dùng được. Đồng chí ghi bằng chữ, ví dụ: Đảng ủy phường Việt Hưng.`,
    issuerTooLong: (length: number, max: number) =>
      `Cơ quan ban hành dài ${n(length)} ký tự, quá ${n(max)} ký tự. Đồng chí rút gọn, ví dụ: Đảng ủy phường Việt Hưng.`,
    deadlineInvalid: (value: string) =>
      `Thời hạn ${typed(value)} không đúng dạng ngày. Đồng chí ghi theo dạng dd/mm/yyyy, ví dụ 30/09/2025.`,
    deadlinePast: (date: string, today: string) =>
      `Thời hạn ${date} đã qua (hôm nay là ${today}). Đồng chí chọn ngày từ hôm nay trở đi.`,
    ackHoursInvalid: (value: string, max: number) =>
      `Số giờ ${typed(value)} không hợp lệ. Đồng chí ghi một số giờ lớn hơn 0 và không quá ${n(max)}, ví dụ 24.`,
    audienceInvalid: (value: string) =>
      `Đối tượng ${typed(value)} không hợp lệ. Dùng: all-secretaries, unit:MÃ_ĐƠN_VỊ, kind:LOẠI (ví dụ kind:thon,to_dan_pho) hoặc leaders.`,
    kindsEmpty: 'Đồng chí chưa chọn loại chi bộ nào. Bấm vào loại chi bộ để chọn, rồi bấm «Xong».',
    noRecipients: (audience: string) =>
      `Không có đồng chí nào để gửi: ${audience} chưa có ai được gắn với bot. Đồng chí chọn đối tượng khác, hoặc mời cán bộ bằng /moi.`,
    fileTooBig: (maxMb: number) => `Tệp lớn quá ${n(maxMb)} MB. Đồng chí gửi tệp nhỏ hơn.`,
    fileUnreadable: (path: string) => `Không đọc được tệp ${q(path)}.`,
    textFileUnreadable: (path: string) => `Không đọc được tệp nội dung ${q(path)}.`,
  },

  audience: {
    allSecretaries: 'bí thư tất cả các chi bộ',
    unit: (unitName: string) => `bí thư các chi bộ thuộc ${unitName}`,
    branch: (unitName: string) => `bí thư ${unitName}`,
    kinds: (kindNames: readonly string[]) => `bí thư các chi bộ loại ${kindNames.join(', ')}`,
    leaders: 'lãnh đạo các cấp ủy',
  },

  status: {
    title: (id: string): Rich => bold(`Tình trạng thông báo mã ${id}`),
    heading: (title: string, number: string | undefined): Rich => [
      bold(title),
      number ? ` · Số ${number}` : '',
    ],
    sentAt: (when: string, audience: string) => `Gửi lúc ${when} đến ${audience}.`,
    delivered: (x: number, y: number) => `Đã gửi đến: ${formatRatio(x, y)}`,
    pending: (count: number) => `Đang chờ gửi: ${n(count)}`,
    acknowledged: (a: number, b: number) => `Đã xác nhận: ${formatRatio(a, b)} (${formatPercent(a, b)})`,
    ackLine: (who: string, when: string) => `– ${who}: ${when}`,
    unreachable: (count: number) => `Không liên lạc được (chưa bấm Start hoặc đã chặn bot): ${n(count)}`,
    failed: (count: number) => `Gửi lỗi: ${n(count)}`,
    failedLine: (who: string, reason: string) => `– ${who}: ${reason}`,
    line: (who: string) => `– ${who}`,
    notAcknowledged: (count: number) => `Chưa xác nhận: ${n(count)}`,
    remindAt: (when: string) => `Sẽ nhắc lại lúc ${when} những đồng chí chưa xác nhận.`,
    reminded: (when: string) => `Đã nhắc lại lúc ${when}.`,
    leadersTold: (when: string) => `Đã báo lãnh đạo phụ trách lúc ${when}.`,
    cancelled: (when: string, stopped: number): Rich => [
      bold('Đã dừng gửi'),
      ` lúc ${when}${stopped > 0 ? `: ${n(stopped)} tin chưa gửi đã hủy` : ''}.`,
    ],
    /** "… và 470 đồng chí khác" after a capped list. */
    capped: <T extends Rich>(items: readonly T[], max: number) => capped(items, max, 'đồng chí'),
    /** A recipient in lists: "Chi bộ Thôn 1 (đ/c Nguyễn Văn A)". */
    who: (units: string, name: string) => (name ? `${units} (đ/c ${name})` : units),
    whoLeader: (units: string, name: string, title?: string) =>
      name ? `đ/c ${name}, ${title ?? units}` : title ? `đ/c ${title} (${units})` : units,
  },

  admin: {
    buttonStop: 'Dừng gửi',
    buttonStopConfirm: 'Xác nhận dừng gửi',
    buttonKeep: 'Không dừng',
    askStop: (id: string, title: string) =>
      `Dừng thông báo mã ${id} ${q(title)}? Những tin chưa gửi sẽ không được gửi và bot không nhắc lại nữa.`,
    stopped: (id: string, stopped: number) =>
      `Đã dừng thông báo mã ${id}.${stopped > 0 ? ` ${n(stopped)} tin chưa gửi đã hủy.` : ''}`,
    alreadyStopped: (id: string) => `Thông báo mã ${id} đã dừng từ trước.`,
    kept: 'Không dừng. Thông báo vẫn tiếp tục.',
    unknown: (id: string) =>
      `Không có thông báo mã ${typed(id)}. Gõ /thongbao_tinhtrang để xem các thông báo gần đây.`,
    none: 'Chưa có thông báo nào. Gõ /thongbao để soạn thông báo.',
    latest: 'Các thông báo gần đây (gõ /thongbao_tinhtrang MÃ để xem đầy đủ danh sách):',
    latestLine: (
      id: string,
      title: string,
      date: string,
      delivered: string,
      acknowledged: string,
      stopped: boolean,
    ): Rich => [
      `${id}. `,
      bold(title),
      ` · ${date} · đã gửi ${delivered} · xác nhận ${acknowledged}${stopped ? ' · đã dừng' : ''}`,
    ],
  },

  inbox: {
    none: 'Chưa có văn bản nào gửi đồng chí.',
    intro: 'Văn bản gửi đồng chí gần đây:',
    line: (
      index: number,
      title: string,
      number: string | undefined,
      date: string,
      ackedAt: string | undefined,
    ): Rich => [
      `${index}. `,
      bold(title),
      `${number ? ` · Số ${number}` : ''} · ngày ${date} · ${ackedAt ? `đã xác nhận lúc ${ackedAt}` : 'chưa xác nhận'}`,
    ],
  },

  /** `npm run cli -- directive …` output; the English key words are what scripts look for. */
  cli: {
    header: (id: string, title: string, number: string | undefined) =>
      `directive ${id}: ${title}${number ? ` (${number})` : ''}`,
    created: (when: string, by: string, audience: string) =>
      `created ${when} by ${by}; audience: ${audience}`,
    state: (state: 'sending' | 'sent' | 'cancelled') => `status: ${state}`,
    delivered: (x: number, y: number) => `delivered ${x}/${y} (đã gửi đến)`,
    pending: (count: number) => `pending ${count} (chưa gửi)`,
    acknowledged: (a: number, b: number) => `acknowledged ${a}/${b} (đã xác nhận)`,
    failed: (count: number) => `failed ${count} (gửi lỗi)`,
    unreachable: (count: number) => `unreachable ${count} (không liên lạc được)`,
    notAcknowledged: (count: number) => `not acknowledged ${count} (chưa xác nhận)`,
    listHeader: (name: 'acknowledged' | 'failed' | 'unreachable' | 'not acknowledged') => `${name}:`,
    cancelled: (id: string, stopped: number) =>
      `directive ${id} cancelled; ${stopped} messages will not be sent`,
    alreadyCancelled: (id: string) => `directive ${id} was already cancelled`,
    unknown: (id: string) => `no directive ${id}`,
    sentTo: (id: string, recipients: number) => `directive ${id} queued for ${recipients} recipients`,
  },
} as const;

/** What an audience is called ("bí thư các chi bộ thuộc Đảng bộ xã A"), given its unit when it has one. */
function audienceName(a: Audience, unit?: { name: string; isBranch: boolean }): string {
  const w = words.audience;
  switch (a.kind) {
    case 'all-secretaries':
      return w.allSecretaries;
    case 'leaders':
      return w.leaders;
    case 'unit':
      if (!unit) return w.unit(a.unit);
      return unit.isBranch ? w.branch(unit.name) : w.unit(unit.name);
    case 'kind':
      return w.kinds(a.kinds.map((k) => units.kindName(k)));
  }
}

/** Why a field was refused, saying how to fix it. */
function problem(p: DirectiveProblem): string {
  const e = words.errors;
  switch (p.code) {
    case 'titleEmpty':
      return e.titleEmpty;
    case 'titleTooLong':
      return e.titleTooLong(p.length, p.max);
    case 'numberInvalid':
      return e.numberInvalid(p.value, p.max);
    case 'textEmpty':
      return e.textEmpty;
    case 'textTooLong':
      return e.textTooLong(p.length, p.max);
    case 'deadlineInvalid':
      return e.deadlineInvalid(p.value);
    case 'deadlinePast':
      return e.deadlinePast(formatVnDate(p.date), formatVnDate(p.today));
    case 'ackHoursInvalid':
      return e.ackHoursInvalid(p.value, p.max);
    case 'audienceInvalid':
      return e.audienceInvalid(p.value);
    case 'issuedInvalid':
      return e.issuedInvalid(p.value);
    case 'issuedFuture':
      return e.issuedFuture(formatVnDate(p.date), formatVnDate(p.today));
    case 'issuerInvalid':
      return e.issuerInvalid(p.value);
    case 'issuerTooLong':
      return e.issuerTooLong(p.length, p.max);
  }
}

/** "Kính gửi: Đồng chí Bí thư Chi bộ Thôn 1" (or "…: Đồng chí Nguyễn Văn Hùng, Bí thư Đảng ủy phường"). */
function salutation(r: Recipient): string {
  const unitNames = r.units.map((u) => u.name);
  return r.role === 'leader'
    ? words.recipient.leaderSalutation(r.name, r.title, unitNames)
    : words.recipient.salutation(r.role, unitNames);
}

/** A recipient in lists: "Chi bộ Thôn 1 (đ/c Nguyễn Văn A)". */
function recipientLabel(r: Recipient): string {
  const unitNames = r.units.map((u) => u.name).join(', ');
  return r.role === 'leader'
    ? words.status.whoLeader(unitNames, r.name, r.title)
    : words.status.who(unitNames, r.name);
}

/** The directive as one recipient receives it, in official form. */
function recipientText(d: DirectiveContent, r: Recipient, timezone: string): Rich {
  const w = words.recipient;
  const a = d.attachment;
  return lines(
    salutation(r),
    '',
    bold(d.title),
    citation(d.number, d.issued ?? issueDate(d.createdAt, timezone), d.issuer),
    '',
    d.text,
    '',
    d.deadline ? w.deadline(formatVnDate(d.deadline)) : undefined,
    a ? (a.kind === 'photo' ? w.photo : w.attachment(a.filename)) : undefined,
    w.askAck,
  );
}

/** The same directive sent again to someone who has not acknowledged it. */
function reminderText(d: DirectiveContent, r: Recipient, timezone: string): Rich {
  return lines(words.recipient.reminder, '', recipientText(d, r, timezone));
}

/** The note to one responsible leader listing who has not acknowledged. */
function leaderNoteText(
  d: DirectiveContent,
  leader: Recipient,
  pending: readonly { recipient: Recipient; unreachable: boolean }[],
  timezone: string,
): Rich {
  const w = words.leaderNote;
  const date = formatVnDate(issueDate(d.createdAt, timezone));
  return lines(
    salutation(leader),
    '',
    w.intro(d.title, d.number, date),
    ...pending.map(({ recipient, unreachable }) =>
      words.status.line(
        unreachable ? `${recipientLabel(recipient)}: ${w.unreachable}` : recipientLabel(recipient),
      ),
    ),
    '',
    w.ask,
  );
}

/**
 * The status block. `compact` caps each list so the block fits one message and can be edited in
 * place; otherwise every name is listed (the renderer cuts a long text between lines).
 */
function statusText(
  d: Directive,
  p: DirectiveProgress,
  marks: DirectiveMilestones,
  opts: { timezone: string; compact: boolean },
): Rich {
  const w = words.status;
  const when = (ms: number) => formatMoment(ms, opts.timezone);
  const list = (items: string[]) => (opts.compact ? w.capped(items, 10) : items);
  const label = recipientLabel;
  return lines(
    w.title(d.id),
    w.heading(d.title, d.number),
    w.sentAt(when(d.createdAt), d.audienceText),
    w.delivered(p.delivered, p.total),
    p.pending > 0 && w.pending(p.pending),
    w.acknowledged(p.acknowledged.length, p.total),
    ...list(p.acknowledged.map((a) => w.ackLine(label(a.recipient), when(a.at)))),
    ...(p.unreachable.length > 0
      ? [w.unreachable(p.unreachable.length), ...list(p.unreachable.map((u) => w.line(label(u.recipient))))]
      : []),
    ...(p.failed.length > 0
      ? [w.failed(p.failed.length), ...list(p.failed.map((f) => w.failedLine(label(f.recipient), f.reason)))]
      : []),
    ...(p.notAcknowledged.length > 0
      ? [w.notAcknowledged(p.notAcknowledged.length), ...list(p.notAcknowledged.map((r) => w.line(label(r))))]
      : []),
    marks.cancelledAt !== undefined
      ? w.cancelled(when(marks.cancelledAt), p.stopped)
      : marks.remindedAt === undefined && p.notAcknowledged.length > 0 && w.remindAt(when(reminderDue(d))),
    marks.remindedAt !== undefined && w.reminded(when(marks.remindedAt)),
    marks.leadersToldAt !== undefined && w.leadersTold(when(marks.leadersToldAt)),
  );
}

/** The CLI's plain status: counts first (`delivered x/y`, `acknowledged a/b`), then the lists. */
function statusLines(
  d: Directive,
  p: DirectiveProgress,
  marks: DirectiveMilestones,
  timezone: string,
): string[] {
  const c = words.cli;
  const when = (ms: number) => formatMoment(ms, timezone);
  const state = marks.cancelledAt !== undefined ? 'cancelled' : p.pending > 0 ? 'sending' : 'sent';
  const row = (r: Recipient, extra: string) => `  ${r.personId}\t${recipientLabel(r)}\t${extra}`;
  const out = [
    c.header(d.id, d.title, d.number),
    c.created(when(d.createdAt), d.createdBy, d.audienceText),
    c.state(state),
    c.delivered(p.delivered, p.total),
    c.pending(p.pending),
    c.acknowledged(p.acknowledged.length, p.total),
    c.failed(p.failed.length),
    c.unreachable(p.unreachable.length),
    c.notAcknowledged(p.notAcknowledged.length),
  ];
  if (p.acknowledged.length > 0) {
    out.push(c.listHeader('acknowledged'));
    out.push(...p.acknowledged.map((a) => row(a.recipient, when(a.at))));
  }
  if (p.failed.length > 0) {
    out.push(c.listHeader('failed'));
    out.push(...p.failed.map((f) => row(f.recipient, f.reason)));
  }
  if (p.unreachable.length > 0) {
    out.push(c.listHeader('unreachable'));
    out.push(...p.unreachable.map((u) => row(u.recipient, u.reason)));
  }
  if (p.notAcknowledged.length > 0) {
    out.push(c.listHeader('not acknowledged'));
    out.push(...p.notAcknowledged.map((r) => row(r, '')));
  }
  return out;
}

export const directives = {
  ...words,
  audienceName,
  problem,
  salutation,
  recipientLabel,
  recipientText,
  reminderText,
  leaderNoteText,
  statusText,
  statusLines,
} as const;
