package dev.controlroom.agent;

import dev.controlroom.orchestrator.port.LiveOutput;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands each session's redacted raw bytes to the views watching it, on the reader thread. Keeps the
 * last {@link #TAIL_BYTES} of each running session, so a view that has just read the database (up
 * to the last stored chunk, a few hundred milliseconds behind) joins without a gap.
 */
public final class LiveFeed implements LiveOutput {
    static final int TAIL_BYTES = 256 * 1024;

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    /** One session's listeners and recent bytes; its monitor orders delivery against joining. */
    private static final class Channel {
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        /** A ring of the newest bytes: {@code tailSize} bytes ending at offset {@code tailEnd}. */
        byte[] tail;
        long tailEnd;
        int tailSize;
        boolean running;

        void append(long offset, byte[] bytes) {
            if (tail == null) {
                tail = new byte[TAIL_BYTES];
            }
            if (offset != tailEnd) {
                tailSize = 0; // a new process of the session: earlier bytes are stored by now
            }
            int from = Math.max(0, bytes.length - tail.length);
            for (int i = from; i < bytes.length; ) {
                int at = (int) ((offset + i) % tail.length);
                int n = Math.min(bytes.length - i, tail.length - at);
                System.arraycopy(bytes, i, tail, at, n);
                i += n;
            }
            tailEnd = offset + bytes.length;
            tailSize = (int) Math.min(tail.length, tailSize + (long) bytes.length);
        }

        /** The kept bytes from {@code from} on, if any. */
        byte[] since(long from) {
            long start = Math.max(from, tailEnd - tailSize);
            if (tail == null || start >= tailEnd) {
                return new byte[0];
            }
            byte[] out = new byte[(int) (tailEnd - start)];
            for (int i = 0; i < out.length; ) {
                int at = (int) ((start + i) % tail.length);
                int n = Math.min(out.length - i, tail.length - at);
                System.arraycopy(tail, at, out, i, n);
                i += n;
            }
            return out;
        }
    }

    @Override
    public Subscription subscribe(String sessionId, long fromOffset, Listener listener) {
        Channel channel = channels.computeIfAbsent(sessionId, id -> new Channel());
        synchronized (channel) {
            byte[] recent = channel.since(fromOffset);
            if (recent.length > 0) {
                listener.onOutput(channel.tailEnd - recent.length, recent);
            }
            channel.listeners.add(listener);
        }
        return () -> {
            synchronized (channel) {
                channel.listeners.remove(listener);
                if (channel.listeners.isEmpty() && !channel.running) {
                    channels.remove(sessionId, channel);
                }
            }
        };
    }

    /** A process of the session started printing. */
    void started(String sessionId) {
        Channel channel = channels.computeIfAbsent(sessionId, id -> new Channel());
        synchronized (channel) {
            channel.running = true;
        }
    }

    /** Reader thread: bytes the recorder kept (already redacted), at their offset. */
    void publish(String sessionId, long offset, byte[] bytes) {
        Channel channel = channels.get(sessionId);
        if (channel == null) {
            return;
        }
        synchronized (channel) {
            channel.append(offset, bytes);
            for (Listener l : channel.listeners) {
                l.onOutput(offset, bytes);
            }
        }
    }

    /** The session's process ended and its output is stored: the tail is no longer needed. */
    void ended(String sessionId) {
        Channel channel = channels.get(sessionId);
        if (channel == null) {
            return;
        }
        synchronized (channel) {
            channel.running = false;
            channel.tail = null;
            channel.tailSize = 0;
            channel.listeners.forEach(Listener::onEnd);
            if (channel.listeners.isEmpty()) {
                channels.remove(sessionId, channel);
            }
        }
    }

    /** Sessions with a channel (running or watched), for tests of the bookkeeping. */
    int channelCount() {
        return channels.size();
    }
}
