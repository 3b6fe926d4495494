import type { ChatClient } from '../model/chat-client';

/**
 * Subscribes the calling component to every model change. Needed because @preact/signals skips the
 * re-render of a component whose props did not change, and the model mutates in place behind the
 * same `client`/`conv` props.
 */
export function useModel(client: ChatClient): number {
  return client.revision.value;
}
