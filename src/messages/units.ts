/**
 * Wording for the organisation: unit levels and kinds, roles, the unit CSV import (every error
 * says what is wrong and how to fix it), invites, greetings by role and "no access" answers.
 */
import { echo } from '../domain/text.js';
import type { BranchKind, RoleKind, UnitLevel } from '../domain/units.js';
import type { UnitsCsvError } from '../domain/unitsCsv.js';
import { COLUMN_LABELS, KIND_NAMES, LEVEL_NAMES, ROLE_NAMES } from '../domain/unitVocabulary.js';
import { formatNumber } from '../domain/vn.js';
import { common } from './common.js';

const levelNames = LEVEL_NAMES;
const kindNames = KIND_NAMES;
const roleNames = ROLE_NAMES satisfies Record<RoleKind, string>;

const levelList = Object.values(levelNames).join(', ');
const kindList = Object.values(kindNames).join(', ');

/** "«CB01»": how codes and values are quoted inside sentences; what a person typed is capped. */
const q = (s: string) => `«${echo(s)}»`;
const at = (line: number) => `Dòng ${line}`;

export const units = {
  levelNames,
  kindNames,
  roleNames,
  /** "Chi bộ", "Đảng bộ cơ sở". */
  levelName: (level: UnitLevel): string => levelNames[level],
  /** "Tổ dân phố". */
  kindName: (kind: BranchKind): string => kindNames[kind],
  /** "Bí thư". */
  roleName: (role: RoleKind): string => roleNames[role],
  /** "Bí thư Chi bộ Thôn 1", "Lãnh đạo Đảng bộ xã A", "Quản trị". */
  roleAt: (role: RoleKind, unitName?: string): string =>
    unitName && role !== 'admin' ? `${roleNames[role]} ${unitName}` : roleNames[role],

  /** Reasons a unit CSV file is refused. Each names the line, the problem and the fix. */
  csv: {
    notUtf8:
      'Tệp không đọc được dưới dạng UTF-8 nên chữ có dấu sẽ bị lỗi. Đồng chí mở tệp trong Excel, chọn «Lưu thành» → «CSV UTF-8 (phân tách bằng dấu phẩy)» rồi gửi lại.',
    emptyFile:
      'Tệp trống. Đồng chí gửi tệp CSV có dòng tiêu đề «Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên» và mỗi đơn vị một dòng.',
    noRows: (line: number) =>
      `${at(line)}: tệp chỉ có dòng tiêu đề, chưa có đơn vị nào. Đồng chí thêm mỗi đơn vị một dòng bên dưới tiêu đề.`,
    missingColumns: (line: number, columns: readonly string[]) =>
      `${at(line)}: dòng tiêu đề thiếu cột ${columns.map(q).join(', ')}. Dòng đầu tiên của tệp phải là tiêu đề «Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên» (hoặc code,name,level,kind,parent,members).`,
    duplicateColumn: (line: number, column: string) =>
      `${at(line)}: cột ${q(column)} xuất hiện hai lần trong dòng tiêu đề. Đồng chí xóa bớt một cột.`,
    unterminatedQuote: (line: number) =>
      `${at(line)}: dấu ngoặc kép mở nhưng không đóng. Đồng chí kiểm tra lại dấu " trong dòng này.`,
    tooManyFields: (line: number, found: number, expected: number) =>
      `${at(line)}: có ${found} cột, nhiều hơn ${expected} cột của tiêu đề. Nếu tên đơn vị có dấu phẩy hoặc chấm phẩy, đồng chí đặt tên trong ngoặc kép, ví dụ "Chi bộ Thôn 1, xã A".`,
    missingCode: (line: number) => `${at(line)}: thiếu mã đơn vị. Đồng chí điền cột «Mã».`,
    invalidCode: (line: number, code: string, maxLength: number) =>
      `${at(line)}: mã ${q(code)} không hợp lệ. Mã chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, không có dấu cách, tối đa ${maxLength} ký tự.`,
    missingName: (line: number, code: string) =>
      `${at(line)}: đơn vị ${q(code)} chưa có tên. Đồng chí điền cột «Tên».`,
    nameTooLong: (line: number, code: string, maxLength: number) =>
      `${at(line)}: tên đơn vị ${q(code)} dài quá ${maxLength} ký tự. Đồng chí rút gọn tên.`,
    missingLevel: (line: number, code: string) =>
      `${at(line)}: đơn vị ${q(code)} chưa ghi cấp. Đồng chí điền cột «Cấp» là một trong: ${levelList}.`,
    unknownLevel: (line: number, code: string, value: string) =>
      `${at(line)}: cấp ${q(value)} của đơn vị ${q(code)} không đúng. Đồng chí ghi một trong: ${levelList}.`,
    unknownKind: (line: number, code: string, value: string) =>
      `${at(line)}: loại ${q(value)} của đơn vị ${q(code)} không đúng. Đồng chí ghi một trong: ${kindList}; hoặc để trống (chi bộ để trống được tính là «Khác»).`,
    membersNotNumber: (line: number, code: string, value: string) =>
      `${at(line)}: số đảng viên ${q(value)} của đơn vị ${q(code)} không phải số nguyên. Đồng chí ghi số không âm, ví dụ 25 hoặc 1.349.`,
    headAppliesNotYesNo: (line: number, code: string, value: string) =>
      `${at(line)}: cột «Bí thư kiêm người đứng đầu» của đơn vị ${q(code)} ghi ${q(value)}. Đồng chí ghi "có" (chi bộ thôn, tổ dân phố, cơ quan, đơn vị sự nghiệp, doanh nghiệp), "không", hoặc để trống để tính theo loại chi bộ.`,
    officialNotNumber: (line: number, code: string, value: string) =>
      `${at(line)}: số đảng viên chính thức ${q(value)} của đơn vị ${q(code)} không phải số nguyên. Đồng chí ghi số không âm, ví dụ 12, hoặc để trống.`,
    officialOverMembers: (line: number, code: string, official: number, members: number) =>
      `${at(line)}: đơn vị ${q(code)} ghi ${formatNumber(official)} đảng viên chính thức, nhiều hơn tổng số đảng viên (${formatNumber(members)}). Đồng chí kiểm tra lại hai cột này.`,
    membersRequired: (line: number, code: string) =>
      `${at(line)}: chi bộ ${q(code)} chưa ghi số đảng viên. Đồng chí điền cột «Số đảng viên».`,
    duplicateCode: (line: number, code: string, firstLine: number) =>
      `${at(line)}: mã ${q(code)} trùng với dòng ${firstLine}. Mỗi đơn vị chỉ ghi một dòng; đồng chí xóa dòng trùng hoặc sửa mã.`,
    unknownParent: (line: number, code: string, parent: string) =>
      `${at(line)}: mã cấp trên ${q(parent)} của đơn vị ${q(code)} không có trong tệp và chưa có trong hệ thống. Đồng chí kiểm tra lại cột «Mã cấp trên».`,
    cycle: (line: number, code: string, chain: readonly string[]) =>
      `${at(line)}: đơn vị ${q(code)} nằm trong vòng lặp cấp trên (${chain.join(' → ')}): một đơn vị không thể là cấp trên của chính mình. Đồng chí kiểm tra lại cột «Mã cấp trên».`,
    parentIsBranch: (line: number, code: string, parent: string) =>
      `${at(line)}: cấp trên ${q(parent)} của đơn vị ${q(code)} là chi bộ; chi bộ không có đơn vị trực thuộc. Đồng chí sửa «Mã cấp trên» hoặc sửa cấp của ${q(parent)}.`,
    branchHasChildren: (line: number, code: string, child: string) =>
      `${at(line)}: ${q(code)} được ghi là chi bộ nhưng đang có đơn vị trực thuộc (${q(child)}). Đồng chí sửa cấp của ${q(code)} hoặc chuyển các đơn vị trực thuộc sang cấp trên khác.`,
    secondRoot: (line: number, code: string, root: string) =>
      `${at(line)}: đơn vị ${q(code)} không có mã cấp trên, nhưng hệ thống đã có đơn vị gốc ${q(root)}. Mỗi hệ thống chỉ phục vụ một đảng bộ; đồng chí điền «Mã cấp trên» cho ${q(code)}.`,
    manyRoots: (line: number, code: string, root: string, rootLine: number) =>
      `${at(line)}: đơn vị ${q(code)} không có mã cấp trên, nhưng ${q(root)} (dòng ${rootLine}) đã là đơn vị gốc. Chỉ một đơn vị được để trống «Mã cấp trên»; đồng chí điền cấp trên cho ${q(code)}.`,
    tooManyRows: (rows: number, max: number) =>
      `Tệp có ${formatNumber(rows)} đơn vị, nhiều hơn ${formatNumber(max)} đơn vị cho một lần nhập. Đồng chí chia thành nhiều tệp, mỗi tệp tối đa ${formatNumber(max)} đơn vị, và nhập tệp có các đơn vị cấp trên trước.`,
    tooDeep: (line: number, code: string, depth: number, max: number) =>
      `${at(line)}: đơn vị ${q(code)} nằm ở cấp thứ ${formatNumber(depth)} tính từ đơn vị gốc, sâu quá ${max} cấp cho phép. Đồng chí kiểm tra lại cột «Mã cấp trên»: có thể các đơn vị đang được ghi nối tiếp nhau thay vì cùng trực thuộc một cấp trên.`,
    subtreeTooDeep: (line: number, code: string, deepest: string, depth: number, max: number) =>
      `${at(line)}: theo cấp trên ghi trong tệp, đơn vị ${q(deepest)} trực thuộc ${q(code)} sẽ nằm ở cấp thứ ${formatNumber(depth)} tính từ đơn vị gốc, sâu quá ${max} cấp cho phép. Đồng chí kiểm tra lại «Mã cấp trên» của ${q(code)} và các đơn vị cấp trên của nó.`,
  },

  /** One reason a unit file is refused, as the sentence above for its problem. */
  csvError: (e: UnitsCsvError): string => {
    const m = units.csv;
    const label = e.code ?? '?';
    switch (e.problem) {
      case 'not_utf8':
        return m.notUtf8;
      case 'empty_file':
        return m.emptyFile;
      case 'no_rows':
        return m.noRows(e.line);
      case 'too_many_rows':
        return m.tooManyRows(e.rows, e.max);
      case 'missing_columns':
        return m.missingColumns(
          e.line,
          e.columns.map((c) => COLUMN_LABELS[c]),
        );
      case 'duplicate_column':
        return m.duplicateColumn(e.line, e.column);
      case 'unterminated_quote':
        return m.unterminatedQuote(e.line);
      case 'too_many_fields':
        return m.tooManyFields(e.line, e.found, e.expected);
      case 'missing_code':
        return m.missingCode(e.line);
      case 'invalid_code':
        return m.invalidCode(e.line, e.code, e.max);
      case 'missing_name':
        return m.missingName(e.line, label);
      case 'name_too_long':
        return m.nameTooLong(e.line, label, e.max);
      case 'missing_level':
        return m.missingLevel(e.line, label);
      case 'unknown_level':
        return m.unknownLevel(e.line, label, e.value);
      case 'unknown_kind':
        return m.unknownKind(e.line, label, e.value);
      case 'members_not_number':
        return m.membersNotNumber(e.line, label, e.value);
      case 'head_applies_not_yes_no':
        return m.headAppliesNotYesNo(e.line, label, e.value);
      case 'official_not_number':
        return m.officialNotNumber(e.line, label, e.value);
      case 'official_over_members':
        return m.officialOverMembers(e.line, label, e.official, e.members);
      case 'members_required':
        return m.membersRequired(e.line, label);
      case 'duplicate_code':
        return m.duplicateCode(e.line, e.code, e.firstLine);
      case 'unknown_parent':
        return m.unknownParent(e.line, e.code, e.parent);
      case 'cycle':
        return m.cycle(e.line, e.code, e.cut ? [...e.chain, '…'] : e.chain);
      case 'parent_is_branch':
        return m.parentIsBranch(e.line, e.code, e.parent);
      case 'branch_has_children':
        return m.branchHasChildren(e.line, e.code, e.child);
      case 'second_root':
        return m.secondRoot(e.line, e.code, e.root);
      case 'many_roots':
        return m.manyRoots(e.line, e.code, e.root, e.rootLine);
      case 'too_deep':
        return m.tooDeep(e.line, e.code, e.depth, e.max);
      case 'subtree_too_deep':
        return m.subtreeTooDeep(e.line, e.code, e.deepest, e.depth, e.max);
    }
  },

  /**
   * The whole refusal: heading, the first `max` reasons one per line, and how many more. Keeps a
   * long list inside one Telegram message (4096 characters).
   */
  importErrors: (reasons: readonly string[], max = 15): string =>
    [
      `Tệp có ${formatNumber(reasons.length)} lỗi nên chưa nhập đơn vị nào. Đồng chí sửa các dòng dưới đây rồi gửi lại cả tệp:`,
      ...common.someProblems(reasons, max, '• '),
    ].join('\n'),
  /** "Đã nhập 20 đơn vị: 18 mới, 2 cập nhật." */
  importSummary: (total: number, created: number, updated: number, unchanged = 0) =>
    `Đã nhập ${formatNumber(total)} đơn vị: ${formatNumber(created)} mới, ${formatNumber(updated)} cập nhật` +
    (unchanged > 0 ? `, ${formatNumber(unchanged)} không thay đổi.` : '.'),
  /** Another admin imported at the same moment. */
  importConflict:
    'Cùng lúc có một lần nhập đơn vị khác nên lần này chưa được lưu. Đồng chí gửi lại tệp sau ít phút.',

  /** Invite redemption answers. */
  invite: {
    used: 'Mã mời này đã được sử dụng. Mỗi mã chỉ dùng một lần. Nếu chính đồng chí đã dùng mã này, đồng chí đã có quyền, gõ /help để xem việc cần làm; nếu chưa, đồng chí đề nghị văn phòng cấp ủy gửi đường dẫn mời mới.',
    expired:
      'Mã mời này đã hết hạn hoặc không còn hiệu lực. Đồng chí đề nghị văn phòng cấp ủy gửi đường dẫn mời mới.',
    unknown:
      'Mã mời không đúng. Đồng chí kiểm tra đã mở đúng và đủ đường dẫn mời; nếu vẫn không được, đồng chí đề nghị văn phòng cấp ủy gửi đường dẫn mời mới.',
    /** The invite was accepted. */
    accepted: (role: RoleKind, unitName: string) => `Đã ghi nhận đồng chí là ${roleNames[role]} ${unitName}.`,
  },

  /** Greetings after access is granted, or on /start for someone who already has a role. */
  greeting: {
    secretary: (unitName: string) =>
      `Chào đồng chí Bí thư ${unitName}. Đồng chí có thể:\n` +
      '/lich – đăng ký hoặc dời ngày đại hội chi bộ\n' +
      '/daihoi – báo cáo đại hội chi bộ\n' +
      '/sinhhoat – báo cáo sinh hoạt chi bộ hằng tháng\n' +
      '/help – hướng dẫn sử dụng',
    deputy: (unitName: string) =>
      `Chào đồng chí Phó bí thư ${unitName}. Khi cần, đồng chí báo cáo thay Bí thư:\n` +
      '/lich – đăng ký hoặc dời ngày đại hội chi bộ\n' +
      '/daihoi – báo cáo đại hội chi bộ\n' +
      '/sinhhoat – báo cáo sinh hoạt chi bộ hằng tháng\n' +
      '/help – hướng dẫn sử dụng',
    leader: (unitName: string) =>
      `Chào đồng chí. Đồng chí theo dõi ${unitName} và các đơn vị trực thuộc:\n` +
      '/tiendo – tiến độ đại hội chi bộ\n' +
      '/sinhhoat_tiendo – tình hình sinh hoạt chi bộ\n' +
      '/help – hướng dẫn sử dụng',
    admin:
      'Chào đồng chí Quản trị. Đồng chí có thể:\n' +
      '/canbo – quản lý cán bộ và mã mời\n' +
      '/thongbao – gửi thông báo, chỉ đạo\n' +
      '/dotdaihoi – quản lý đợt đại hội\n' +
      'Gửi tệp CSV danh sách đơn vị để nhập hoặc cập nhật cây tổ chức\n' +
      '/help – hướng dẫn sử dụng',
  },

  /** /start without an invite code from someone with no role. */
  startNoCode:
    'Chào đồng chí. Để sử dụng, đồng chí cần đường dẫn mời do văn phòng cấp ủy gửi (mỗi bí thư, phó bí thư, lãnh đạo một đường dẫn riêng). Đồng chí mở đường dẫn đó trên điện thoại có Telegram rồi bấm «Bắt đầu».',
  /** Someone without any role tries a command. */
  noAccess:
    'Đồng chí chưa được cấp quyền sử dụng. Đồng chí đề nghị văn phòng cấp ủy gửi đường dẫn mời, rồi mở đường dẫn đó để bắt đầu.',
  /** A role exists but does not cover this unit. */
  noAccessToUnit: (unitName: string) =>
    `Đồng chí không có quyền xem hoặc báo cáo cho ${unitName}. Nếu đây là nhầm lẫn, đồng chí liên hệ văn phòng cấp ủy.`,
  /** An admin-only command from someone else. */
  adminOnly: 'Chức năng này chỉ dành cho Quản trị (văn phòng cấp ủy).',
  /** Access was withdrawn. */
  revoked: 'Quyền sử dụng của đồng chí đã được thu hồi. Nếu cần, đồng chí liên hệ văn phòng cấp ủy.',
  /** A unit code that does not exist. */
  unknownUnit: (code: string) => `Không có đơn vị mã ${q(code)}. Đồng chí kiểm tra lại mã đơn vị.`,
  /** Secretary or deputy asked for a unit that is not a chi bộ. */
  notBranch: (unitName: string) =>
    `${unitName} không phải chi bộ; chỉ chi bộ mới có bí thư, phó bí thư báo cáo.`,
  /** No units imported yet. */
  noUnits:
    'Chưa có đơn vị nào. Đồng chí Quản trị gửi tệp CSV danh sách đơn vị với tiêu đề «Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên».',
} as const;
