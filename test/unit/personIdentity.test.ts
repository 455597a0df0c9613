import { describe, expect, it } from 'vitest';
import {
  checkPersonName,
  checkTitle,
  displayName,
  isRoleWord,
  nameWithTitle,
} from '../../src/domain/personIdentity.js';

describe('recorded names and titles', () => {
  it('takes a Vietnamese name, cleaning invisible marks and spaces', () => {
    expect(checkPersonName('  Nguyễn\u200F  Văn   Hùng ')).toEqual({ ok: true, value: 'Nguyễn Văn Hùng' });
  });

  it('refuses an empty, an emoji and a 5,000-character name with a reason', () => {
    expect(checkPersonName(' \u202E ')).toEqual({ ok: false, problem: { code: 'nameEmpty' } });
    expect(checkPersonName('Hùng 🙂')).toMatchObject({ ok: false, problem: { code: 'nameInvalid' } });
    expect(checkPersonName('A'.repeat(5000))).toMatchObject({
      ok: false,
      problem: { code: 'nameTooLong', length: 5000, max: 80 },
    });
  });

  it('never takes the bot role "Lãnh đạo" as a title, with or without accents', () => {
    expect(isRoleWord('Lãnh đạo')).toBe(true);
    expect(isRoleWord('lanh dao Dang uy')).toBe(true);
    expect(isRoleWord('Bí thư Đảng ủy phường')).toBe(false);
    expect(checkTitle('Lãnh đạo Đảng bộ')).toMatchObject({ ok: false, problem: { code: 'titleIsRole' } });
    expect(checkTitle('Bí thư Đảng ủy phường')).toEqual({ ok: true, value: 'Bí thư Đảng ủy phường' });
    expect(checkTitle('')).toEqual({ ok: true, value: '' });
  });

  it('names a person by the recorded name and title, else by the Telegram name', () => {
    const p = { id: 5, firstName: 'Hùng', username: 'hung' };
    expect(displayName(p)).toBe('Hùng (@hung)');
    expect(nameWithTitle({ ...p, fullName: 'Nguyễn Văn Hùng', title: 'Bí thư Đảng ủy phường' })).toBe(
      'Nguyễn Văn Hùng, Bí thư Đảng ủy phường',
    );
    expect(nameWithTitle({ ...p, fullName: 'Nguyễn Văn Hùng', title: 'Lãnh đạo' })).toBe('Nguyễn Văn Hùng');
    expect(displayName({ id: 7 })).toBe('id 7');
  });
});
