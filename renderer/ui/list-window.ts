/** Sizes of the message list's DOM window (see message-list.tsx), shared with the tests that check them. */
export const WINDOW_START = 120;
export const WINDOW_MAX = 300;
export const WINDOW_STEP = 80;
