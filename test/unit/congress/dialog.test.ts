import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/domain/congress/campaign.js';
import {
  applyDialogAnswer,
  type CongressDialogState,
  currentStep,
  DIALOG_STEPS,
  type DialogAnswerResult,
  finishDialog,
  startDialog,
} from '../../../src/domain/congress/dialog.js';
import type { ReportContext } from '../../../src/domain/congress/report.js';
import { msg } from '../../../src/messages/index.js';

type Window = Pick<Campaign, 'opens' | 'deadline' | 'youngAge'>;
/** The step's question as the person reads it (the domain gives the step; the catalogue words it). */
const dialogPrompt = (state: CongressDialogState, campaign: Window) =>
  msg.congress.question(currentStep(state)?.field, campaign);
/** A refused answer with its problems as the person reads them. */
const worded = (r: DialogAnswerResult) =>
  r.ok ? r : { ok: r.ok, field: r.field, errors: r.errors.map(msg.congress.problem) };

const ctx: ReportContext = {
  campaign: { opens: '2025-08-20', deadline: '2025-09-30', youngAge: 35 },
  branchSize: 30,
  today: '2025-09-20',
};

/** Answers in turn, as a stored state would between messages (through JSON). */
function run(answers: string[]): { state: CongressDialogState; asked: string[] } {
  let state = startDialog();
  const asked: string[] = [];
  for (const answer of answers) {
    asked.push(state.at);
    const result = worded(
      applyDialogAnswer(JSON.parse(JSON.stringify(state)) as CongressDialogState, answer, ctx),
    );
    if (!result.ok) throw new Error(`${state.at}: ${result.errors.join(' ')}`);
    state = result.state;
  }
  return { state, asked };
}

describe('the guided congress dialog', () => {
  it('asks the form fields in form order, with the kind of answer each takes', () => {
    expect(DIALOG_STEPS.map((s) => [s.field, s.kind])).toEqual([
      ['date', 'date'],
      ['format', 'choice'],
      ['summoned', 'number'],
      ['present', 'number'],
      ['elected', 'number'],
      ['reElected', 'number'],
      ['women', 'number'],
      ['young', 'number'],
      ['minority', 'number'],
      ['secretaryDirect', 'yesno'],
      ['secretaryIsHead', 'yesnona'],
      ['deputy', 'yesno'],
      ['note', 'text-optional'],
    ]);
  });

  it('puts the campaign window and the young age into its questions', () => {
    expect(dialogPrompt(startDialog(), ctx.campaign)).toBe(
      'Chi bộ đại hội ngày nào? Đồng chí ghi ngày/tháng/năm, ví dụ 15/09/2025 (đợt này từ 20/08/2025 đến 30/09/2025).',
    );
    const young = DIALOG_STEPS.find((s) => s.field === 'young');
    expect(young && msg.congress.question(young.field, { ...ctx.campaign, youngAge: 30 })).toBe(
      'Số cấp ủy viên trẻ (dưới 30 tuổi)?',
    );
    expect(DIALOG_STEPS.find((s) => s.field === 'secretaryIsHead')?.options).toEqual([
      'Có',
      'Không',
      'Không áp dụng',
    ]);
  });

  it('walks a congress with election through every question to a valid report', () => {
    const { state, asked } = run([
      '15/09/2025',
      'Bầu cử',
      '27',
      '25',
      '5',
      '3',
      '1',
      '1',
      '0',
      'Có',
      'Không áp dụng',
      'Có',
      'Bỏ qua',
    ]);
    expect(asked).toEqual(DIALOG_STEPS.map((s) => s.field));
    expect(state.at).toBe('done');
    expect(currentStep(state)).toBeUndefined();
    expect(finishDialog(state, ctx)).toEqual({
      ok: true,
      hints: [],
      warnings: [],
      report: {
        date: '2025-09-15',
        format: 'bau_cu',
        summoned: 27,
        present: 25,
        elected: 5,
        reElected: 3,
        women: 1,
        young: 1,
        minority: 0,
        secretaryDirect: true,
        secretaryIsHead: 'khong_ap_dung',
        deputy: 'co',
      },
    });
  });

  it('skips the election questions for a congress without election', () => {
    const { state, asked } = run(['15/09/2025', 'Không bầu cử', '27', '25', 'Có', 'Đại hội 2 nội dung']);
    expect(asked).toEqual(['date', 'format', 'summoned', 'present', 'secretaryIsHead', 'note']);
    const result = finishDialog(state, ctx);
    expect(result.ok).toBe(true);
    expect(result.ok && result.report).toMatchObject({
      format: 'khong_bau_cu',
      elected: 0,
      secretaryDirect: false,
      secretaryIsHead: 'co',
      deputy: 'khong_ap_dung',
      note: 'Đại hội 2 nội dung',
    });
  });

  it('keeps its state small and JSON-serialisable', () => {
    const { state } = run(['15/09/2025', 'Bầu cử', '27']);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toEqual({
      at: 'present',
      answers: { date: '15/09/2025', format: 'Bầu cử', summoned: '27' },
    });
  });

  it('refuses an answer that breaks a rule with an earlier answer, and stays on the question', () => {
    const { state } = run(['15/09/2025', 'Bầu cử', '27']);
    const result = worded(applyDialogAnswer(state, '28', ctx));
    expect(result).toEqual({
      ok: false,
      field: 'present',
      errors: [
        'Số đảng viên có mặt (28) lớn hơn số triệu tập (27). Đề nghị đồng chí kiểm tra lại hai số này.',
      ],
    });
  });

  it('refuses an unreadable answer with the field message', () => {
    const result = worded(applyDialogAnswer(startDialog(), '15/9', ctx));
    expect(result).toEqual({
      ok: false,
      field: 'date',
      errors: ['Ngày đại hội "15/9" không đúng dạng ngày/tháng/năm. Đề nghị đồng chí ghi như 15/09/2025.'],
    });
  });

  it('refuses an empty answer to a required question', () => {
    const { state } = run(['15/09/2025']);
    const result = worded(applyDialogAnswer(state, '  ', ctx));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'Chưa có dòng "Hình thức". Đề nghị đồng chí ghi thêm: Hình thức: bầu cử',
    ]);
  });

  it('checks a phó bí thư against the number elected when it is asked', () => {
    const { state } = run(['15/09/2025', 'Bầu cử', '27', '25', '1', '1', '0', '0', '0', 'Có', 'Không']);
    expect(state.at).toBe('deputy');
    const result = worded(applyDialogAnswer(state, 'Có', ctx));
    expect(!result.ok && result.errors[0]).toBe(
      'Có bầu phó bí thư thì số cấp ủy viên được bầu phải từ 2 trở lên (bí thư và phó bí thư); đồng chí ghi 1. Đề nghị kiểm tra lại một trong hai dòng.',
    );
  });
});
