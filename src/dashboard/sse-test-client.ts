/** One message of an event stream as a test sees it: a named event with data, or a comment line. */
export interface StreamMessage {
  event: string | null;
  data: string | null;
  comment: string | null;
}

/** A minimal Server-Sent Events reader over fetch, for tests: read messages one at a time. */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';

  async function nextMessage(): Promise<StreamMessage | null> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: StreamMessage = { event: null, data: null, comment: null };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) message.comment = line.slice(1).trim();
          else if (line.startsWith('event:')) message.event = line.slice(6).trim();
          else if (line.startsWith('data:')) message.data = (message.data ?? '') + line.slice(5).trim();
        }
        return message;
      }
      const chunk = await reader?.read();
      if (!chunk || chunk.done) return null;
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  }

  return {
    status: res.status,
    headers: res.headers,
    /** The next message, or null when the server ended the stream. */
    next: nextMessage,
    /** The next `event: name` message's data, parsed; skips comments and other events. */
    async nextEvent<T>(name: string): Promise<T | null> {
      for (;;) {
        const m = await nextMessage();
        if (!m) return null;
        if (m.event === name && m.data !== null) return JSON.parse(m.data) as T;
      }
    },
    /** Resolves once the server ended the stream (reads and drops what is left). */
    async ended(): Promise<void> {
      while (await nextMessage()) {}
    },
    close(): void {
      abort.abort();
    },
  };
}
export type EventStream = Awaited<ReturnType<typeof openEventStream>>;
