/**
 * Wording for the member register (đảng viên), Huy hiệu Đảng and phát triển đảng viên: the
 * register file's errors line by line, refusals, CLI answers, and the badge workbook. Every
 * error says what is wrong and how to fix it; whatever a person typed is quoted through
 * `echo`, cut short and on one line.
 */
import type { AdmissionField, FieldProblem } from '../domain/members/admission.js';
import type { ClosingKind, Gender } from '../domain/members/member.js';
import { ETHNICITY_MAX, INTERRUPTED_MAX, NAME_MAX, REASON_MAX } from '../domain/members/member.js';
import { MEMBER_HEADERS, type MemberColumn, type MemberCsvError } from '../domain/members/memberCsv.js';
import { PROBATION_DUE_DAYS } from '../domain/members/probation.js';
import type { MemberRefusal } from '../domain/members/refusal.js';
import { echo } from '../domain/text.js';
import { formatNumber, formatVnDate } from '../domain/vn.js';
import { common } from './common.js';

/** «…» around a value quoted in a sentence; anything typed is cut and kept on one line. */
const q = (s: string) => `«${echo(s)}»`;
const at = (line: number) => `Dòng ${line}`;
const date = formatVnDate;

const genderNames = { male: 'Nam', female: 'Nữ' } as const satisfies Record<Gender, string>;

const closingKindNames = {
  transferred_out: 'Chuyển đi',
  deceased: 'Từ trần',
  struck_off: 'Xóa tên',
  expelled: 'Khai trừ',
} as const satisfies Record<ClosingKind, string>;

const status = { official: 'Chính thức', probationary: 'Dự bị' } as const;

/** The Vietnamese header of each column of the register file. */
const columnName = (c: MemberColumn) => MEMBER_HEADERS[c][1];
const headerLine = (Object.keys(MEMBER_HEADERS) as MemberColumn[]).map(columnName).join(',');
const englishHeaderLine = (Object.keys(MEMBER_HEADERS) as MemberColumn[])
  .map((c) => MEMBER_HEADERS[c][0])
  .join(',');

/** One problem of the register file, as a sentence starting "Dòng N:" (or none for the whole file). */
function csvProblem(e: MemberCsvError): string {
  const l = at(e.line);
  const col = e.column ? `«${columnName(e.column)}»` : '';
  const value = q(e.value ?? '');
  switch (e.problem) {
    case 'not_utf8':
      return 'Tệp không đọc được dưới dạng UTF-8 nên chữ có dấu sẽ bị lỗi. Đồng chí mở tệp trong Excel, chọn «Lưu thành» → «CSV UTF-8 (phân tách bằng dấu phẩy)» rồi gửi lại.';
    case 'empty_file':
      return `Tệp trống. Đồng chí gửi tệp CSV có dòng tiêu đề «${headerLine}» và mỗi đảng viên một dòng.`;
    case 'no_rows':
      return `${l}: tệp chỉ có dòng tiêu đề, chưa có đảng viên nào. Đồng chí thêm mỗi đảng viên một dòng bên dưới tiêu đề.`;
    case 'missing_columns':
      return `${l}: dòng tiêu đề thiếu cột ${(e.columns ?? []).map((c) => `«${columnName(c)}»`).join(', ')}. Tiêu đề cần có «${headerLine}» (hoặc ${englishHeaderLine}), theo thứ tự bất kỳ; hai cột «Số thẻ đảng viên» và «Số tháng gián đoạn» có thể bỏ.`;
    case 'duplicate_column':
      return `${l}: cột ${value} xuất hiện hai lần trong dòng tiêu đề. Đồng chí xóa bớt một cột.`;
    case 'unterminated_quote':
      return `${l}: dấu ngoặc kép mở nhưng không đóng. Đồng chí kiểm tra lại dấu " trong dòng này.`;
    case 'too_many_fields':
      return `${l}: có ${echo(e.value ?? '')} cột, nhiều hơn số cột của tiêu đề. Nếu ô nào có dấu phẩy hoặc chấm phẩy, đồng chí đặt ô đó trong ngoặc kép.`;
    case 'missing_value':
      return `${l}: chưa ghi ${col}. Đồng chí điền ô này.`;
    case 'invalid_date':
      return `${l}: ${col} ${value} không phải ngày hợp lệ. Đồng chí ghi ngày theo dạng DD/MM/YYYY, ví dụ 03/02/1990.`;
    case 'invalid_gender':
      return `${l}: giới tính ${value} không đúng. Đồng chí ghi «Nam» hoặc «Nữ».`;
    case 'invalid_name':
      return `${l}: họ và tên ${value} có ký tự không dùng trong tên người (chữ số, ký hiệu). Đồng chí ghi họ tên bằng chữ, ví dụ Nguyễn Văn An.`;
    case 'name_too_long':
      return `${l}: họ và tên dài quá ${NAME_MAX} ký tự. Đồng chí kiểm tra lại ô này.`;
    case 'invalid_ethnicity':
      return `${l}: dân tộc ${value} không đúng. Đồng chí ghi tên dân tộc bằng chữ, tối đa ${ETHNICITY_MAX} ký tự, ví dụ Kinh, Tày, Ê Đê.`;
    case 'invalid_card':
      return `${l}: số thẻ đảng viên ${value} không đúng. Số thẻ gồm chữ số (có thể có chữ cái, dấu chấm, gạch ngang), tối đa 20 ký tự; đồng chí để trống nếu chưa có.`;
    case 'invalid_months':
      return `${l}: số tháng gián đoạn ${value} không phải số nguyên từ 0 đến ${formatNumber(INTERRUPTED_MAX)}. Đồng chí ghi số tháng, hoặc để trống nếu không gián đoạn.`;
    case 'unknown_unit':
      return `${l}: mã chi bộ ${value} chưa có trong hệ thống. Đồng chí kiểm tra lại mã, hoặc nhập danh sách đơn vị trước.`;
    case 'not_branch':
      return `${l}: ${value} không phải chi bộ. Đảng viên sinh hoạt ở chi bộ; đồng chí ghi mã chi bộ của đảng viên.`;
    case 'future_date':
      return `${l}: ${col} ${value} là ngày chưa đến. Đồng chí kiểm tra lại ô này.`;
    case 'joined_before_birth':
      return `${l}: ngày vào Đảng phải sau ngày sinh. Đồng chí kiểm tra lại «Ngày sinh» và «Ngày vào Đảng».`;
    case 'joined_before_party':
      return `${l}: ngày vào Đảng trước ngày thành lập Đảng (03/02/1930). Đồng chí kiểm tra lại «Ngày vào Đảng».`;
    case 'official_before_joined':
      return `${l}: ngày chính thức trước ngày vào Đảng. Đồng chí kiểm tra lại, hoặc để trống nếu đảng viên còn dự bị.`;
    case 'interrupted_too_long':
      return `${l}: số tháng gián đoạn lớn hơn số tháng từ ngày vào Đảng đến nay (${formatNumber(e.months ?? 0)} tháng). Đồng chí kiểm tra lại.`;
    case 'duplicate_card':
      return `${l}: số thẻ ${value} trùng với dòng ${e.firstLine}. Mỗi đảng viên chỉ ghi một dòng; đồng chí xóa dòng trùng hoặc sửa số thẻ.`;
    case 'duplicate_person':
      return `${l}: đảng viên ${value} cùng chi bộ, cùng ngày sinh với dòng ${e.firstLine}. Nếu là một người, đồng chí xóa dòng trùng; nếu là hai người, đồng chí ghi số thẻ đảng viên của cả hai.`;
    case 'closed_member':
      return `${l}: đảng viên ${value} đã ra khỏi danh sách (${closingKindNames[e.closing?.kind ?? 'transferred_out'].toLowerCase()} ngày ${date(e.closing?.date ?? '')}) nên không nhập lại được. Đồng chí xóa dòng này khỏi tệp.`;
    case 'card_conflict':
      return `${l}: chi bộ đã có đảng viên cùng họ tên và ngày sinh với số thẻ ${q(e.card ?? '')}, khác số thẻ ${value} trong tệp. Đồng chí kiểm tra lại số thẻ.`;
    case 'same_member':
      return e.firstLine !== undefined
        ? `${l}: dòng này và dòng ${e.firstLine} cùng là đảng viên ${value} đã có trong danh sách. Đồng chí giữ một dòng.`
        : `${l}: chi bộ có nhiều đảng viên tên ${value} cùng ngày sinh. Đồng chí ghi số thẻ đảng viên để phân biệt.`;
  }
}

/** The whole refusal of a file: heading, the first `max` problems one per line, and how many more. */
function importErrors(errors: readonly MemberCsvError[], max = 15): string {
  return [
    `Tệp có ${formatNumber(errors.length)} lỗi nên chưa nhập đảng viên nào. Đồng chí sửa các dòng dưới đây rồi gửi lại cả tệp:`,
    ...common.someProblems(errors.map(csvProblem), max, '• '),
  ].join('\n');
}

/** Names of the fields of a new member, as forms show them. */
const fieldNames = {
  fullName: 'Họ và tên',
  birthDate: 'Ngày sinh',
  gender: 'Giới tính',
  ethnicity: 'Dân tộc',
  joined: 'Ngày vào Đảng',
  cardNumber: 'Số thẻ đảng viên',
  interruptedMonths: 'Số tháng gián đoạn',
} as const satisfies Record<AdmissionField, string>;

/** What is wrong with one field of a new member, and how to fix it. */
function fieldProblem(p: FieldProblem): string {
  const f = `«${fieldNames[p.field]}»`;
  switch (p.problem) {
    case 'missing':
      return `${f}: chưa ghi.`;
    case 'too_long':
      return p.field === 'ethnicity'
        ? `${f}: dài quá ${ETHNICITY_MAX} ký tự.`
        : `${f}: dài quá ${NAME_MAX} ký tự.`;
    case 'invalid':
      switch (p.field) {
        case 'gender':
          return `${f}: ghi «Nam» hoặc «Nữ».`;
        case 'cardNumber':
          return `${f}: gồm chữ số (có thể có chữ cái, dấu chấm, gạch ngang), tối đa 20 ký tự.`;
        case 'interruptedMonths':
          return `${f}: ghi số nguyên từ 0 đến ${formatNumber(INTERRUPTED_MAX)}.`;
        default:
          return `${f}: chỉ gồm chữ cái, dấu cách, dấu nháy hoặc gạch nối, ví dụ Nguyễn Văn An, H'Hen Niê.`;
      }
    case 'invalid_date':
      return `${f}: ghi ngày theo dạng DD/MM/YYYY, ví dụ 19/05/2025.`;
    case 'future_date':
      return `${f}: ngày này chưa đến.`;
    case 'joined_before_birth':
      return `${f}: phải sau ngày sinh.`;
    case 'joined_before_party':
      return `${f}: trước ngày thành lập Đảng (03/02/1930).`;
    case 'too_young':
      return `${f}: khi đó người được kết nạp mới ${p.age ?? 0} tuổi; Điều lệ Đảng quy định từ đủ 18 tuổi.`;
    case 'interrupted_too_long':
      return `${f}: lớn hơn số tháng từ ngày vào Đảng đến nay (${formatNumber(p.months)} tháng).`;
  }
}

const member = (name: string) => `đảng viên ${name}`;

/** A refusal of the register service, in one message. */
function refusal(r: MemberRefusal): string {
  switch (r.reason) {
    case 'no_access':
      return 'Đồng chí chưa được cấp quyền sử dụng. Đồng chí đề nghị văn phòng cấp ủy gửi đường dẫn mời, rồi mở đường dẫn đó để bắt đầu.';
    case 'admin_only':
      return 'Chức năng này chỉ dành cho Quản trị (văn phòng cấp ủy).';
    case 'no_units':
      return 'Chưa có cây tổ chức. Văn phòng cấp ủy cần nhập danh sách đơn vị trước.';
    case 'choose_scope':
      return `Đồng chí phụ trách nhiều đơn vị: ${r.units.map((u) => `${u.name} (${u.code})`).join('; ')}. Đồng chí ghi rõ mã đơn vị cần xem.`;
    case 'unknown_unit':
      return `Không có đơn vị mã ${q(r.code)}. Đồng chí kiểm tra lại mã đơn vị.`;
    case 'not_branch':
      return `${r.unit.name} không phải chi bộ; danh sách đảng viên được quản lý ở từng chi bộ. Đồng chí chọn một chi bộ.`;
    case 'not_allowed':
      return `Đồng chí không có quyền xem hoặc cập nhật danh sách đảng viên của ${r.unit.name}. Nếu đây là nhầm lẫn, đồng chí liên hệ văn phòng cấp ủy.`;
    case 'unknown_member':
      return `Không tìm thấy đảng viên mã số ${r.id} trong phạm vi đồng chí phụ trách. Đồng chí mở lại danh sách chi bộ để chọn.`;
    case 'member_closed':
      return `${cap(member(r.member.fullName))} đã ra khỏi danh sách (${closingKindNames[r.kind].toLowerCase()} ngày ${date(r.date)}), không cập nhật được nữa.`;
    case 'already_official':
      return `${cap(member(r.member.fullName))} đã là đảng viên chính thức từ ngày ${date(r.since)}.`;
    case 'same_branch':
      return `${cap(member(r.member.fullName))} đang sinh hoạt tại ${r.unit.name}. Đồng chí chọn chi bộ nơi đảng viên chuyển đến.`;
    case 'card_taken':
      return `Số thẻ ${q(r.card)} đã được ghi cho ${member(r.other.fullName)} (mã số ${r.other.id}). Đồng chí kiểm tra lại số thẻ.`;
    case 'duplicate_person':
      return `Chi bộ đã có ${member(r.other.fullName)} cùng ngày sinh (mã số ${r.other.id}); có thể đảng viên này đã được ghi. Đồng chí kiểm tra lại danh sách chi bộ.`;
    case 'invalid_member':
      return [
        'Chưa ghi được đảng viên mới. Đồng chí sửa các mục sau:',
        ...r.problems.map((p) => `• ${fieldProblem(p)}`),
      ].join('\n');
    case 'bad_date':
      return badDate(r);
    case 'bad_reason':
      return r.problem === 'missing'
        ? 'Đồng chí ghi lý do, ví dụ số quyết định hoặc nơi chuyển đến.'
        : `Lý do dài quá ${REASON_MAX} ký tự. Đồng chí rút gọn.`;
    case 'unknown_closing_kind':
      return `${q(r.text)} không phải hình thức ra khỏi danh sách. Đồng chí chọn: chuyển đi, từ trần, xóa tên hoặc khai trừ.`;
    case 'not_occasion':
      return r.next
        ? `Ngày ${q(r.text)} không phải dịp trao Huy hiệu Đảng (03/02, 19/05, 02/09, 07/11). Dịp gần nhất từ ngày đó: ${date(r.next)}.`
        : `${q(r.text)} không phải ngày. Đồng chí ghi dịp trao Huy hiệu Đảng theo dạng DD/MM/YYYY, ví dụ 02/09/2026.`;
    case 'invalid_year':
      return `${q(r.text)} không phải năm hợp lệ. Đồng chí ghi năm bằng bốn chữ số, từ 1930 đến năm sau, ví dụ 2026.`;
    case 'invalid_target':
      return `Chỉ tiêu ${q(r.text)} không phải số nguyên không âm. Đồng chí ghi số đảng viên mới cần kết nạp, ví dụ 12.`;
    case 'import_errors':
      return importErrors(r.errors);
  }
}

/** A date given for chuyển chính thức or a closing that cannot be used. */
function badDate(r: Extract<MemberRefusal, { reason: 'bad_date' }>): string {
  switch (r.problem) {
    case 'invalid_date':
      return `${q(r.text)} không phải ngày hợp lệ. Đồng chí ghi ngày theo dạng DD/MM/YYYY, ví dụ 19/05/2025.`;
    case 'future_date':
      return `Ngày ${date(r.date)} chưa đến. Đồng chí ghi ngày đã diễn ra.`;
    case 'before_joined':
      return `Ngày ${date(r.date)} trước ngày vào Đảng của ${member(r.member.fullName)} (${date(r.joined)}). Đồng chí kiểm tra lại ngày.`;
    case 'probation_not_over':
      return `${cap(member(r.member.fullName))} đến ngày ${date(r.ends)} mới đủ 12 tháng dự bị; ngày chuyển chính thức không được trước ngày đó.`;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Huy hiệu 30 năm tuổi Đảng". */
const milestone = (years: number) => `Huy hiệu ${years} năm tuổi Đảng`;

export const members = {
  genderNames,
  closingKindNames,
  status,
  fieldNames,
  columnName,
  csvProblem,
  importErrors,
  fieldProblem,
  refusal,
  milestone,

  /** "Đã nhập 120 đảng viên: 100 mới, 20 cập nhật (2 chuyển chi bộ), 0 không thay đổi." */
  importSummary: (s: { rows: number; created: number; updated: number; unchanged: number; moved: number }) =>
    `Đã nhập ${formatNumber(s.rows)} đảng viên: ${formatNumber(s.created)} mới, ${formatNumber(s.updated)} cập nhật` +
    (s.moved > 0 ? ` (${formatNumber(s.moved)} chuyển sang chi bộ khác)` : '') +
    `, ${formatNumber(s.unchanged)} không thay đổi.`,

  /** Due and overdue for chuyển chính thức, as lists head them. */
  probation: {
    due: `Đến hạn xét chuyển chính thức trong ${PROBATION_DUE_DAYS} ngày tới`,
    overdue: 'Đã quá hạn xét chuyển chính thức',
  },

  cli: {
    targetSet: (unitName: string, year: number, target: number) =>
      `Đã đặt chỉ tiêu kết nạp năm ${year} của ${unitName}: ${formatNumber(target)} đảng viên mới.`,
    badgesListed: (count: number, occasion: string, unitName: string) =>
      `${formatNumber(count)} đảng viên đến hạn nhận Huy hiệu Đảng dịp ${occasion} (${unitName}).`,
    unreadableFile: (file: string) => `Không đọc được tệp ${file}. Đồng chí kiểm tra lại đường dẫn.`,
  },

  /** The workbook of a badge occasion, sent up to the higher level. */
  badges: {
    sheets: { summary: 'Tổng hợp', list: 'Danh sách đề nghị' },
    title: 'DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG',
    occasion: (d: string) => `Đợt trao tặng ngày ${d}`,
    unit: (name: string) => `Đơn vị: ${name}`,
    asOf: (d: string) => `Lập ngày ${d}`,
    total: 'Tổng số đảng viên đề nghị',
    columns: {
      index: 'STT',
      fullName: 'Họ và tên',
      birthDate: 'Ngày sinh',
      gender: 'Giới tính',
      ethnicity: 'Dân tộc',
      joined: 'Ngày vào Đảng',
      officialSince: 'Ngày chính thức',
      cardNumber: 'Số thẻ đảng viên',
      interruptedMonths: 'Số tháng gián đoạn',
      milestone: 'Huy hiệu (năm tuổi Đảng)',
      milestoneDate: 'Ngày đủ tuổi Đảng',
      unitCode: 'Mã chi bộ',
      unitName: 'Chi bộ',
      parentName: 'Đơn vị cấp trên',
    },
    note: 'Tuổi Đảng tính từ ngày vào Đảng, trừ thời gian gián đoạn; đảng viên được đề nghị tại dịp trao tặng đầu tiên kể từ ngày đủ tuổi Đảng.',
    filename: (unit: string, occasion: string) => `huy-hieu-dang-${unit}-${occasion}.xlsx`,
    caption: (unitName: string, occasion: string) =>
      `Danh sách đảng viên đề nghị tặng Huy hiệu Đảng dịp ${occasion} – ${unitName} (Excel).`,
  },
} as const;
