/** Backups of all application data and their restore, with checks that the result is whole. */
export { type BackupOutcome, DEFAULT_MAX_PAUSE_MS, takeBackup } from './backup.js';
export { MIN_RESTORED_TTL_MS, type RestoreOutcome, restoreBackup } from './restore.js';
