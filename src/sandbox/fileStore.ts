/**
 * Files that pass through the emulator (documents and photos, from the bot or from people),
 * kept on disk so the bot can fetch them with getFile and the page can offer them for download.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type StoredFileKind = 'document' | 'photo';

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  /** Relative path as getFile reports it, e.g. `documents/file_3.csv`. */
  file_path: string;
  file_name: string;
  mime_type: string;
  file_size: number;
  kind: StoredFileKind;
}

const mimeByExtension: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  pdf: 'application/pdf',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private dir: string | undefined;
  private readonly ownsDir: boolean;
  private counter = 0;

  /** Without `dir`, a temporary directory is made on first use and removed by `close()`. */
  constructor(dir?: string) {
    this.dir = dir;
    this.ownsDir = dir === undefined;
  }

  /** Stores bytes and returns their Telegram-style description. */
  save(content: Buffer, kind: StoredFileKind, fileName: string, mimeType?: string): StoredFile {
    const n = ++this.counter;
    const ext = path.extname(fileName).slice(1).toLowerCase();
    const folder = kind === 'photo' ? 'photos' : 'documents';
    const file: StoredFile = {
      // Telegram's ids are opaque; these only need to be unique and hard to confuse with numbers.
      file_id: `${kind === 'photo' ? 'AgAC' : 'BQAC'}${n}_${randomBytes(9).toString('base64url')}`,
      file_unique_id: `AQAD${n}${randomBytes(4).toString('hex')}`,
      file_path: `${folder}/file_${n}${ext ? `.${ext}` : kind === 'photo' ? '.jpg' : ''}`,
      file_name: fileName,
      mime_type: mimeByExtension[ext] ?? mimeType ?? 'application/octet-stream',
      file_size: content.length,
      kind,
    };
    const target = path.join(this.root(), file.file_path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    this.byId.set(file.file_id, file);
    this.byPath.set(file.file_path, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  getByPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }

  read(file: StoredFile): Buffer {
    return readFileSync(path.join(this.root(), file.file_path));
  }

  /** Removes the temporary directory, if this store made one. */
  close(): void {
    if (this.ownsDir && this.dir) rmSync(this.dir, { recursive: true, force: true });
    if (this.ownsDir) this.dir = undefined;
    this.byId.clear();
    this.byPath.clear();
  }

  private root(): string {
    this.dir ??= mkdtempSync(path.join(os.tmpdir(), 'chibo-emulator-files-'));
    return this.dir;
  }
}

/**
 * Headers for serving a stored file: always a download, never rendered in the page's origin
 * (an uploaded SVG or HTML file would otherwise run its script there), never sniffed into
 * another type. `<img>` still shows photos: images ignore Content-Disposition.
 */
export function downloadHeaders(file: StoredFile): Record<string, string> {
  return {
    'content-type': file.mime_type,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'no-store',
  };
}
