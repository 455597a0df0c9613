/**
 * Wording only the Zalo channel needs: actions typed as numbered options (Zalo has no buttons),
 * answers to what Zalo can carry but the bot does not read, links in place of files, and the
 * people-on-two-channels commands (/lienket, /kenh).
 */
import type { Rich } from '../chat/markup.js';
import { echo } from '../domain/text.js';

/** How an option is offered: its number and what it does, "1 để xác nhận và lưu". */
const lowerFirst = (label: string) => label.charAt(0).toLocaleLowerCase('vi') + label.slice(1);

export const zalo = {
  /** One line when the options are few and short: "Trả lời 1 để xác nhận và lưu, 2 để sửa, 0 để hủy". */
  optionsSentence: (options: readonly { n: number; label: string }[]): string =>
    `Trả lời ${options.map((o) => `${o.n} để ${lowerFirst(o.label)}`).join(', ')}.`,
  /** A list when they are many or long. */
  optionsList: (options: readonly { n: number; label: string }[]): string =>
    ['Trả lời bằng số:', ...options.map((o) => `${o.n} – ${o.label}`)].join('\n'),
  /** Under a question that takes typed answers, whose only option is to give up. */
  cancelHint: 'Gõ /huy để hủy.',
  /** The option that gives up, numbered 0. */
  cancelLabel: 'hủy',
  /** The number typed is not one of the options open. */
  noSuchOption: (typed: string, max: number) =>
    max > 0
      ? `Không có lựa chọn «${echo(typed, 10)}». Đồng chí trả lời bằng một số từ 1 đến ${max}, hoặc 0 để hủy.`
      : `Không có lựa chọn «${echo(typed, 10)}». Đồng chí gõ lại lệnh để bắt đầu lại.`,
  /** message.unsupported.received: Zalo withheld the content for privacy. */
  unsupported:
    'Tin nhắn này không hiển thị được với bot. Đồng chí vui lòng gõ nội dung bằng chữ, hoặc gõ /help để xem các lệnh.',
  /** Stickers, voice messages. */
  pleaseType: 'Bot chỉ đọc được tin nhắn chữ. Đồng chí vui lòng gõ nội dung, hoặc gõ /help để xem các lệnh.',
  /** An image: files and pictures are not read on Zalo. */
  imageNotRead:
    'Bot chưa đọc được ảnh gửi qua Zalo. Đồng chí vui lòng gõ nội dung bằng chữ; tệp CSV nhập từ máy chủ (lệnh npm run cli) hoặc gửi qua Telegram.',
  /** `/start` or /help on Zalo by someone without a role: there is no link to open here. */
  startNoCode:
    'Chào đồng chí. Để sử dụng, đồng chí cần mã mời do văn phòng cấp ủy gửi (mỗi bí thư, phó bí thư, lãnh đạo một mã riêng). Đồng chí nhắn mã đó cho bot, hoặc gõ /start MÃ. Nếu đồng chí đã dùng bot trên Telegram, gõ /lienket ở đó để lấy mã liên kết.',
  /** Someone without a role tries a command, on Zalo (no link to open: the code is typed). */
  noAccess:
    'Đồng chí chưa được cấp quyền sử dụng. Đồng chí đề nghị văn phòng cấp ủy gửi mã mời, rồi nhắn mã đó cho bot.',
  /** A file the bot would send as a document on Telegram: a link here. */
  fileLink: (filename: string, url: string, until: string): Rich => [
    `Tệp ${filename}: ${url}`,
    '\n',
    `Đường dẫn dùng được đến ${until}, chỉ dành cho đồng chí.`,
  ],
  /** The link in the text of a photo sent by URL, when the picture could not go as a photo. */
  chartLink: (url: string) => `Biểu đồ: ${url}`,
  /** On Zalo, where Telegram would take a CSV file: how imports are done instead. */
  importElsewhere:
    'Zalo không gửi được tệp cho bot. Đồng chí nhập tệp CSV trên máy chủ (npm run cli -- units import TỆP) hoặc gửi tệp qua Telegram.',

  /** /lienket: the one-time code to join the other channel to this person. */
  linkCode: (code: string, hours: number): Rich => [
    'Mã liên kết của đồng chí: ',
    { b: code },
    '\n',
    `Mã dùng một lần, trong ${hours} giờ. Trên kênh còn lại, đồng chí nhắn mã này cho bot (Zalo: nhắn mã cho bot; Telegram: gõ /start ${code}). `,
    'Sau khi liên kết, quyền và báo cáo của đồng chí là một, dùng ở kênh nào cũng được.',
  ],
  linkNoRole: 'Đồng chí chưa có quyền nào để liên kết. Đồng chí nhập mã mời trước (/start MÃ).',
  linked: (channels: string) =>
    `Đã liên kết. Đồng chí dùng được bot trên ${channels} với cùng quyền và báo cáo.`,
  alreadyLinked: 'Tài khoản này đã được liên kết với đồng chí từ trước.',
  linkUnknown:
    'Mã liên kết không đúng, đã dùng hoặc đã quá 24 giờ. Đồng chí gõ /lienket ở kênh cũ để lấy mã mới.',
  linkOtherTelegram:
    'Mã này thuộc một tài khoản Telegram khác; hai tài khoản Telegram không liên kết được với nhau. Đồng chí gõ /lienket trên Zalo để lấy mã.',

  /** /kenh: where bot-initiated messages go. */
  channelNames: { telegram: 'Telegram', zalo: 'Zalo' } as const,
  channelNow: (where: string, chosen: boolean): string =>
    chosen
      ? `Bot đang gửi nhắc việc, văn bản cho đồng chí qua ${where} (đồng chí đã chọn).`
      : `Bot gửi nhắc việc, văn bản cho đồng chí qua kênh đồng chí nhắn gần nhất: hiện là ${where}.`,
  channelUsage:
    'Gõ /kenh zalo hoặc /kenh telegram để chọn nơi nhận tin; /kenh tudong để theo kênh đồng chí nhắn gần nhất.',
  channelSet: (where: string) => `Từ nay bot gửi nhắc việc, văn bản cho đồng chí qua ${where}.`,
  channelAuto: 'Từ nay bot gửi nhắc việc, văn bản qua kênh đồng chí nhắn gần nhất.',
  channelMissing: (where: string) =>
    `Đồng chí chưa dùng bot trên ${where}. Gõ /lienket để lấy mã, rồi nhắn mã đó cho bot trên ${where}.`,
  /** /canbo: the channels a person uses. */
  channelsOf: (names: readonly string[]) => names.join(', '),
} as const;
