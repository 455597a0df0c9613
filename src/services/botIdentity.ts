/** The bot's @username, recorded at start so the CLI can build invite links without a token. */
export const BOT_USERNAME_KEY = 'cb:bot:username';
/** The emulator's bot, when there is no token. */
export const SANDBOX_BOT_USERNAME = 'chibo_sandbox_bot';
