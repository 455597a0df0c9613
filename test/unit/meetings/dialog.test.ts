import { describe, expect, it } from 'vitest';
import {
  applyDialogAnswer,
  finishMeetingDialog,
  MEETING_DIALOG_STEPS,
  type MeetingDialogState,
  dialogPrompt as promptOf,
  reviseMeetingDialog,
  startMeetingDialog,
} from '../../../src/domain/meetings/dialog.js';
import { MEETING_FIELD_KEYS } from '../../../src/domain/meetings/report.js';
import { msg } from '../../../src/messages/index.js';

/** The step's question as the person reads it (the domain gives the step; the catalogue words it). */
function dialogPrompt(state: MeetingDialogState, branchSize?: number) {
  const p = promptOf(state);
  return p && msg.meetings.wordPrompt(p, branchSize);
}

/** A refused answer as the person reads it. */
function described<E extends { field: string; problem: Parameters<typeof msg.meetings.problem>[0] }>(e: E) {
  return { field: e.field, message: msg.meetings.problem(e.problem) };
}

const today = '2025-09-10';

/** Answers in order, through a JSON round trip after each step as the Redis store would do. */
function answerAll(state: MeetingDialogState, answers: string[]): MeetingDialogState {
  let s = state;
  for (const a of answers) {
    const r = applyDialogAnswer(s, a, { today });
    if (!r.ok) throw new Error(`refused ${a}: ${described(r.error).message}`);
    s = JSON.parse(JSON.stringify(r.state)) as MeetingDialogState;
  }
  return s;
}

const answers = [
  '03/09/2025',
  'ket_hop',
  '120',
  '27',
  '2',
  '22',
  '2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)',
  '1 (Lê Văn C)',
  'Quán triệt Chỉ thị 50-CT/TW',
  '',
  'khá',
];

describe('the guided meeting dialog', () => {
  it('asks one question per form field, in form order', () => {
    // Kết nạp mới and chuyển chính thức come from the register; only the form may give them.
    expect(MEETING_DIALOG_STEPS.map((s) => s.field)).toEqual(
      MEETING_FIELD_KEYS.filter((k) => k !== 'admitted' && k !== 'madeOfficial'),
    );
  });

  it('starts at the date and offers the three types as buttons at the type step', () => {
    const s = startMeetingDialog('2025-09');
    expect(dialogPrompt(s)).toEqual({
      text: 'Đồng chí nhập ngày sinh hoạt (ngày/tháng/năm), ví dụ 03/09/2025.',
      kind: 'date',
      skippable: false,
    });
    const atType = answerAll(s, ['03/09/2025']);
    expect(dialogPrompt(atType)?.choices).toEqual([
      { value: 'thuong_ky', label: 'Thường kỳ' },
      { value: 'chuyen_de', label: 'Chuyên đề' },
      { value: 'ket_hop', label: 'Thường kỳ + chuyên đề' },
    ]);
  });

  it('shows the branch size in the members question', () => {
    const atMembers = answerAll(startMeetingDialog(), answers.slice(0, 3));
    expect(dialogPrompt(atMembers, 27)?.text).toBe(
      'Tổng số đảng viên của chi bộ là bao nhiêu? (Theo danh sách: 27.)',
    );
  });

  it('reaches review after the last question and gives the same report as the form', () => {
    const done = answerAll(startMeetingDialog('2025-09'), answers);
    expect(done.step).toBe('review');
    expect(dialogPrompt(done)).toBeUndefined();
    const r = finishMeetingDialog(done, { today, branchSize: 27 });
    expect(r.ok).toBe(true);
    expect(r.ok && r.report.type).toBe('ket_hop');
    expect(r.ok && r.report.absentWithoutReason.people).toEqual([{ name: 'Lê Văn C' }]);
    expect(r.ok && r.report.upperAttendee).toBeUndefined();
    expect(r.ok && r.report.quality).toBe('Khá');
  });

  it('takes the quality rating from the scale in force, or none', () => {
    const done = answerAll(startMeetingDialog('2025-09'), answers);
    const custom = finishMeetingDialog(done, { today, qualityScale: ['Xuất sắc', 'Đạt', 'Chưa đạt'] });
    expect(custom.ok).toBe(false);
    expect(!custom.ok && described(custom.errors[0]!).message).toBe(
      'Xếp loại chất lượng «khá» không có trong thang đánh giá. Đồng chí ghi một trong: Xuất sắc, Đạt, Chưa đạt; hoặc bỏ trống dòng này.',
    );
    const skipped = answerAll(startMeetingDialog('2025-09'), [...answers.slice(0, -1), '']);
    const r = finishMeetingDialog(skipped, { today });
    expect(r.ok && r.report.quality).toBeUndefined();
  });

  it('refuses a bad answer, says why, and stays on the same question', () => {
    const atDuration = answerAll(startMeetingDialog(), answers.slice(0, 2));
    const r = applyDialogAnswer(atDuration, 'hai tiếng', { today });
    expect(r.ok ? r : { ok: r.ok, error: described(r.error) }).toEqual({
      ok: false,
      error: {
        field: 'duration',
        message: 'Thời lượng «hai tiếng» không rõ. Đồng chí ghi số phút, ví dụ 120.',
      },
    });
    expect(atDuration.step).toBe('duration');
  });

  it('checks the date against today and the month reported', () => {
    const s = startMeetingDialog('2025-09');
    const future = applyDialogAnswer(s, '12/09/2025', { today });
    expect(!future.ok && described(future.error).message).toBe(
      'Ngày sinh hoạt 12/09/2025 chưa đến (hôm nay là 10/09/2025). Đồng chí chỉ báo cáo buổi đã họp.',
    );
    const otherMonth = applyDialogAnswer(s, '28/08/2025', { today });
    expect(!otherMonth.ok && described(otherMonth.error).message).toBe(
      'Ngày sinh hoạt 28/08/2025 không thuộc tháng 09/2025 đang báo cáo. Đồng chí kiểm tra lại ngày.',
    );
  });

  it('refuses names that do not match the count at the absence step', () => {
    const atAbsent = answerAll(startMeetingDialog(), answers.slice(0, 6));
    const r = applyDialogAnswer(atAbsent, '2 (Nguyễn Văn A)', { today });
    expect(!r.ok && described(r.error)).toEqual({
      field: 'absentWithReason',
      message: 'Mục «Vắng có lý do» ghi 2 người nhưng kể 1 tên. Đồng chí sửa số hoặc danh sách tên cho khớp.',
    });
  });

  it('checks the sum at review, and a revised answer goes straight back to review', () => {
    const wrong = answerAll(startMeetingDialog(), [...answers.slice(0, 5), '20', ...answers.slice(6)]);
    const r = finishMeetingDialog(wrong, { today });
    expect(!r.ok && r.errors.map((e) => e.field)).toEqual(['present']);
    const revising = reviseMeetingDialog(wrong, 'present');
    expect(dialogPrompt(revising)?.text).toBe('Bao nhiêu đảng viên có mặt?');
    const fixed = answerAll(revising, ['22']);
    expect(fixed.step).toBe('review');
    expect(fixed.revising).toBeUndefined();
    expect(finishMeetingDialog(fixed, { today }).ok).toBe(true);
  });

  it('requires an answer to a required question but lets the attendee be skipped', () => {
    const atContent = answerAll(startMeetingDialog(), answers.slice(0, 8));
    const r = applyDialogAnswer(atContent, '   ', { today });
    expect(!r.ok && described(r.error).message).toBe('Chưa điền mục «Nội dung».');
    const atAttendee = answerAll(atContent, ['Kết nạp đảng viên']);
    expect(dialogPrompt(atAttendee)?.skippable).toBe(true);
    const atQuality = answerAll(atAttendee, ['']);
    expect(dialogPrompt(atQuality)?.skippable).toBe(true);
    expect(answerAll(atQuality, ['']).step).toBe('review');
  });
});
