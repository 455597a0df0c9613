import { describe, expect, it } from 'vitest';
import {
  BRANCH_KINDS,
  isBranch,
  parseBranchKind,
  parseRoleKey,
  parseUnitLevel,
  type Role,
  roleKey,
  roleMismatch,
  UNIT_LEVELS,
  unitSchema,
} from '../../src/domain/units.js';
import { msg } from '../../src/messages/index.js';

describe('levels and kinds', () => {
  it('reads a level as its code or its Vietnamese name, with or without accents', () => {
    for (const text of ['Chi bộ', 'chi bo', 'chi_bo', 'CHI BỘ', ' Chi bộ (trực thuộc) ']) {
      expect(parseUnitLevel(text)).toBe('chi_bo');
    }
    expect(parseUnitLevel('Đảng bộ cơ sở')).toBe('dang_bo_co_so');
    expect(parseUnitLevel('dang bo bo phan')).toBe('dang_bo_bo_phan');
    expect(parseUnitLevel('Chi bộ cơ sở')).toBe('chi_bo_co_so');
    expect(parseUnitLevel('Chi đoàn')).toBeUndefined();
    for (const level of UNIT_LEVELS) expect(parseUnitLevel(msg.units.levelName(level))).toBe(level);
  });

  it('reads a kind as its code or its Vietnamese name', () => {
    expect(parseBranchKind('Tổ dân phố')).toBe('to_dan_pho');
    expect(parseBranchKind('to_dan_pho')).toBe('to_dan_pho');
    expect(parseBranchKind('Thôn/xóm/khu dân cư')).toBe('thon');
    expect(parseBranchKind('khu dân cư')).toBe('thon');
    expect(parseBranchKind('DOANH NGHIỆP')).toBe('doanh_nghiep');
    expect(parseBranchKind('Hợp tác xã')).toBeUndefined();
    for (const kind of BRANCH_KINDS) expect(parseBranchKind(msg.units.kindName(kind))).toBe(kind);
  });

  it('calls chi bộ and chi bộ cơ sở branches', () => {
    expect(UNIT_LEVELS.filter((level) => isBranch({ level }))).toEqual(['chi_bo_co_so', 'chi_bo']);
  });

  it('refuses unit codes that would break keys or paths', () => {
    const unit = { code: 'CB01', name: 'Chi bộ 1', level: 'chi_bo', kind: 'khac', parent: 'X', members: 3 };
    expect(unitSchema.safeParse(unit).success).toBe(true);
    for (const code of ['CB/01', 'CB:01', 'CB 01', '', 'Á']) {
      expect(unitSchema.safeParse({ ...unit, code }).success).toBe(false);
    }
  });
});

describe('roles', () => {
  it('round-trips role keys', () => {
    const roles: Role[] = [
      { kind: 'admin' },
      { kind: 'leader', unit: 'DB1' },
      { kind: 'secretary', unit: 'CB1' },
      { kind: 'deputy', unit: 'CB1' },
    ];
    for (const r of roles) expect(parseRoleKey(roleKey(r))).toEqual(r);
    expect(roleKey({ kind: 'secretary', unit: 'CB1' })).toBe('secretary:CB1');
    expect(parseRoleKey('boss:CB1')).toBeUndefined();
    expect(parseRoleKey('leader:')).toBeUndefined();
  });

  it('keeps secretaries and deputies to branches', () => {
    expect(roleMismatch({ kind: 'secretary', unit: 'X' }, { level: 'dang_bo_co_so' })).toBe('not_branch');
    expect(roleMismatch({ kind: 'deputy', unit: 'X' }, { level: 'chi_bo_co_so' })).toBeUndefined();
    expect(roleMismatch({ kind: 'leader', unit: 'X' }, { level: 'dang_bo' })).toBeUndefined();
    expect(roleMismatch({ kind: 'leader', unit: 'X' }, undefined)).toBe('unknown_unit');
    expect(roleMismatch({ kind: 'admin' }, undefined)).toBeUndefined();
  });
});

describe('units catalogue', () => {
  it('names every role and greets each role with its commands', () => {
    expect(msg.units.roleName('secretary')).toBe('Bí thư');
    expect(msg.units.roleName('admin')).toBe('Quản trị');
    expect(msg.units.greeting.secretary('Chi bộ Thôn 1')).toMatch(
      /\/lich[\s\S]*\/daihoi[\s\S]*\/sinhhoat[\s\S]*\/help/,
    );
    expect(msg.units.greeting.leader('Đảng bộ xã A')).toMatch(
      /\/tiendo[\s\S]*\/sinhhoat_tiendo[\s\S]*\/help/,
    );
    expect(msg.units.greeting.admin).toMatch(
      /\/canbo[\s\S]*\/thongbao[\s\S]*\/dotdaihoi[\s\S]*CSV[\s\S]*\/help/,
    );
  });

  it('summarises an import and tells how to get a new invite', () => {
    expect(msg.units.importSummary(20, 18, 2)).toBe('Đã nhập 20 đơn vị: 18 mới, 2 cập nhật.');
    expect(msg.units.importSummary(1500, 1000, 0, 500)).toBe(
      'Đã nhập 1.500 đơn vị: 1.000 mới, 0 cập nhật, 500 không thay đổi.',
    );
    for (const answer of [msg.units.invite.used, msg.units.invite.expired, msg.units.invite.unknown]) {
      expect(answer).toContain('văn phòng cấp ủy gửi đường dẫn mời mới');
    }
  });
});

describe('whether "bí thư là người đứng đầu" applies', () => {
  it('defaults by the branch kind, and the unit list overrides it', async () => {
    const { headApplies } = await import('../../src/domain/units.js');
    for (const kind of ['thon', 'to_dan_pho', 'co_quan', 'don_vi_su_nghiep', 'doanh_nghiep'] as const)
      expect(headApplies({ kind })).toBe(true);
    for (const kind of ['truong_hoc', 'cong_an', 'quan_su', 'khac'] as const)
      expect(headApplies({ kind })).toBe(false);
    expect(headApplies({ kind: null })).toBe(false);
    expect(headApplies({ kind: 'khac', headApplies: true })).toBe(true);
    expect(headApplies({ kind: 'thon', headApplies: false })).toBe(false);
  });
});
