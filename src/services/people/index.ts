/** People in chat: invites, /start, /help, /huy, /canbo, /moi, unit files. */
export { type PeopleAction, peopleActions } from './actions.js';
export { PeopleService, type Profile, type SentFile, UNIT_FILE_MAX_BYTES } from './service.js';
